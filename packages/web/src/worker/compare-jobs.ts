// The worker side of the comparisons and the sanity check (compare-protocol.ts). Core computes;
// this only picks the network and the photo, forwards progress and copies what crosses to the page.
import * as Comlink from 'comlink';
import {
  channelsUsed,
  Explainer,
  faithfulness,
  getCamMethod,
  getModelSpec,
  loadModelWeights,
  resizeRgba,
  sanityCheck,
  type AbortSignalLike,
  type Analysis,
  type CamOutput,
  type ModelExplainer,
  type Prediction,
} from '@gradcam-explorer/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type {
  ExplainSetEntry,
  ExplainSetRequest,
  ExplainSetResult,
  NetworkExplainRequest,
  NetworkExplainResult,
  SanityDto,
  SanityRequest,
  SanityStage,
} from './compare-protocol';
import { decodePixels } from './decode-pixels';
import type { LayerMapDto, ModelSource, PredictionDto, SaliencyDto } from './protocol';
import { restore, snapshot } from './stored-model';
import { deleteCached, readCached, sha256Hex, writeCached } from './weights-cache';

/** What the jobs need from the worker's state (engine.worker.ts owns it). */
export interface JobContext {
  /** The loaded network, if any (an ImageNet network or a user's own model). */
  explainer(): ModelExplainer | null;
  /** The kept analysis of generation `gen` (a StaleError otherwise). */
  requireAnalysis(gen: number): Analysis;
  signalFor(epoch: number): AbortSignalLike;
  checkEpoch(epoch: number): void;
  namedError(name: string, message: string): Error;
}

const dto = (p: Prediction): PredictionDto => ({
  index: p.index,
  label: p.label,
  probability: p.probability,
  logit: p.logit,
});

/** A copy of a map that can be transferred (the originals may be shared with kept results). */
function outputDto(o: CamOutput, transfers: ArrayBuffer[]): LayerMapDto | SaliencyDto {
  const own = (x: Float32Array) => {
    const copy = new Float32Array(x);
    transfers.push(copy.buffer);
    return copy;
  };
  return o.kind === 'layer'
    ? { kind: 'layer', width: o.width, height: o.height, values: own(o.values), rawMax: o.rawMax }
    : {
        kind: 'saliency',
        width: o.width,
        height: o.height,
        rgb: own(o.rgb),
        magnitude: own(o.magnitude),
      };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Several maps (and optionally their faithfulness) on the kept analysis, in one job. */
export async function explainSet(
  ctx: JobContext,
  req: ExplainSetRequest,
  onProgress?: (fraction: number) => void,
): Promise<ExplainSetResult> {
  ctx.checkEpoch(req.epoch);
  const a = ctx.requireAnalysis(req.gen);
  const signal = ctx.signalFor(req.epoch);
  const transfers: ArrayBuffer[] = [];
  const entries: ExplainSetResult['entries'] = [];
  const n = req.items.length;
  const report = (i: number, f: number) => void onProgress?.((i + f) / n);
  for (const [i, item] of req.items.entries()) {
    ctx.checkEpoch(req.epoch);
    // A measured map is mostly the measurement: the map is the first tenth of its share.
    const mapShare = req.measure ? 0.1 : 1;
    try {
      const method = getCamMethod(item.method);
      const methodOptions =
        item.maxChannels === undefined ? undefined : { maxChannels: item.maxChannels };
      const e = await a.explain({
        method: item.method,
        classIndex: item.classIndex,
        layer: item.layer,
        methodOptions,
        signal,
        onProgress: (f) => report(i, f * mapShare),
      });
      const entry: ExplainSetEntry = {
        method: e.method,
        classIndex: e.target.index,
        layer: e.layer,
        target: dto(e.target),
        output: outputDto(e.output, transfers),
        channelsScored: channelsUsed(
          method,
          methodOptions,
          a.activations(e.layer).shape[3] as number,
        ),
        ms: e.ms,
      };
      if (req.measure) {
        const f = await faithfulness(a, e.output, {
          classIndex: e.target.index,
          baseline: req.measure.baseline,
          steps: req.measure.steps,
          signal,
          onProgress: (x) => report(i, mapShare + x * (1 - mapShare)),
        });
        entry.faithfulness = {
          baseline: f.baseline,
          deletion: f.deletion.auc,
          insertion: f.insertion.auc,
          averageDrop: f.confidence.averageDrop,
        };
      }
      entries.push({ ok: entry });
    } catch (e) {
      // Cancelled: the whole job stops; any other failure is that item's alone.
      if (e instanceof Error && e.name === 'CancelledError') throw e;
      ctx.checkEpoch(req.epoch);
      entries.push({ error: message(e) });
    }
    report(i, 1);
  }
  return Comlink.transfer({ gen: req.gen, entries }, transfers);
}

/** Builds `modelId`'s network from stored weights or a .h5 file (stored for next time). */
async function buildNetwork(
  ctx: JobContext,
  modelId: string,
  source: ModelSource,
): Promise<Explainer> {
  const spec = getModelSpec(modelId);
  let model: tfl.LayersModel | null;
  if (source.kind === 'cache') {
    const stored = await readCached(source.id);
    model = stored && restore(spec, stored.weights);
    if (!stored || !model) {
      await deleteCached(source.id).catch(() => undefined);
      throw ctx.namedError('CacheMiss', `No usable stored weights for ${source.id}`);
    }
  } else {
    const sha256 = await sha256Hex(source.bytes);
    const size = source.bytes.byteLength;
    model = await loadModelWeights(spec, new Uint8Array(source.bytes), source.origin.fileName);
    try {
      await writeCached({ modelId, sha256, bytes: size, origin: source.origin }, snapshot(model));
    } catch {
      // quota or no IndexedDB: the next comparison parses the file again
    }
  }
  return new Explainer(spec, model);
}

/** The photo and class on one network: its prediction, its grid and its map at its default layer. */
export async function explainOnNetwork(
  ctx: JobContext,
  req: NetworkExplainRequest,
  onStage?: (stage: 'load' | 'explain') => void,
): Promise<NetworkExplainResult> {
  ctx.checkEpoch(req.epoch);
  const loaded = ctx.explainer();
  const t0 = performance.now();
  let own: Explainer | null = null;
  let ex: Explainer;
  if (req.source.kind === 'loaded') {
    if (!(loaded instanceof Explainer) || loaded.spec.id !== req.modelId) {
      throw ctx.namedError('StaleError', `${req.modelId} is no longer the loaded network`);
    }
    ex = loaded;
  } else {
    onStage?.('load');
    own = await buildNetwork(ctx, req.modelId, req.source);
    ex = own;
  }
  try {
    const loadMs = own ? performance.now() - t0 : 0;
    ctx.checkEpoch(req.epoch);
    onStage?.('explain');
    const t1 = performance.now();
    const s = ex.spec.inputSize;
    const rgba = await decodePixels(req.image);
    const analysis = ex.analyze(
      rgba.width === s && rgba.height === s ? rgba : resizeRgba(rgba, s, s),
    );
    try {
      const layer = ex.spec.defaultLayer;
      const info = ex.camLayers().find((l) => l.name === layer)!;
      const e = await analysis.explain({
        method: req.method,
        classIndex: req.classIndex,
        layer,
        methodOptions: req.maxChannels === undefined ? undefined : { maxChannels: req.maxChannels },
        signal: ctx.signalFor(req.epoch),
      });
      const transfers: ArrayBuffer[] = [];
      const result: NetworkExplainResult = {
        modelId: ex.spec.id,
        layer,
        grid: { height: info.height, width: info.width, channels: info.channels },
        inputSize: s,
        predictions: analysis.top(3).map(dto),
        target: dto(e.target),
        output: outputDto(e.output, transfers),
        loadMs,
        ms: performance.now() - t1,
      };
      return Comlink.transfer(result, transfers);
    } finally {
      analysis.dispose();
    }
  } finally {
    own?.dispose();
  }
}

/** Cascading randomisation of the loaded network on the kept analysis' photo (core restores it). */
export async function sanity(
  ctx: JobContext,
  req: SanityRequest,
  onProgress?: (fraction: number, stage: SanityStage) => void,
): Promise<SanityDto> {
  ctx.checkEpoch(req.epoch);
  const a = ctx.requireAnalysis(req.gen);
  const ex = ctx.explainer()!;
  let last = -1;
  const result = await sanityCheck(ex, a.input, {
    classIndex: req.classIndex,
    methods: req.methods,
    layer: req.layer,
    methodOptions: req.maxChannels === undefined ? undefined : { maxChannels: req.maxChannels },
    keepMaps: true,
    signal: ctx.signalFor(req.epoch),
    onProgress: (f, stage) => {
      if (f - last >= 0.01 || f >= 1) {
        last = f;
        void onProgress?.(f, stage);
      }
    },
  });
  // The maps are core's own arrays, used nowhere else: transfer them.
  const transfers: ArrayBuffer[] = [];
  for (const step of result.steps) {
    for (const m of Object.values(step.methods)) {
      if (m.map) transfers.push(m.map.values.buffer as ArrayBuffer);
    }
  }
  return Comlink.transfer({ ...result, gen: req.gen }, transfers);
}
