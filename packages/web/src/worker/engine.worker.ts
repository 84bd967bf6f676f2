// The engine worker: every TensorFlow.js call of the app runs here, off the UI thread.
// Jobs run one at a time (a queue); a job is cancelled when the page bumps the shared epoch.
import * as Comlink from 'comlink';
import {
  anatomyData,
  evidenceBalance,
  Explainer,
  faithfulness,
  getModelSpec,
  hideAndPredict,
  loadModelWeights,
  loadUserModel,
  type Analysis,
  type CamOutput,
  type ModelExplainer,
  type ModelSpec,
  type UserModelInfo,
} from '@gradcam-explorer/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { chooseBackend } from './backend';
import { decodePixels } from './decode-pixels';
import { explainResult } from './explain-result';
import {
  checkEpoch,
  namedError,
  serial,
  setLocalEpoch,
  shareEpoch,
  signalFor,
  throttled,
} from './jobs';
import {
  deleteCached,
  deleteUserCached,
  listCached,
  readCached,
  sha256Hex,
  writeCached,
} from './weights-cache';
import { restore, snapshot } from './stored-model';
import * as compareJobs from './compare-jobs';
import type {
  AnatomyDto,
  AnatomyRequest,
  AnalyzeRequest,
  AnalyzeResult,
  BackendInfo,
  EngineApi,
  ExplainRequest,
  ExplainResult,
  InitOptions,
  LoadedModel,
  MaskedRequest,
  MaskedResult,
  MeasureRequest,
  MeasureResult,
  ModelSource,
  PredictionDto,
  UserModelResult,
} from './protocol';

// --- state -----------------------------------------------------------------------------------

let backend: BackendInfo | null = null;
/** The one current network: a registered ImageNet network (`Explainer`) or a user's own model. */
let explainer: ModelExplainer | null = null;
/** What was understood of the user's model, while it is the current network. */
let userInfo: UserModelInfo | null = null;
let analysis: Analysis | null = null;
let analysisGen = -1;
/** The last explanation's map, for `measure` and `anatomy`. */
let lastOutput: {
  id: number;
  classIndex: number;
  output: CamOutput;
  method: string;
  layer: string;
  counterfactual: boolean;
} | null = null;
let outputSeq = 0;

const dto = (p: PredictionDto): PredictionDto => ({
  index: p.index,
  label: p.label,
  probability: p.probability,
  logit: p.logit,
});

function disposeAnalysis(): void {
  analysis?.dispose();
  analysis = null;
  analysisGen = -1;
  lastOutput = null;
}

function requireAnalysis(gen: number): Analysis {
  if (!analysis || gen !== analysisGen) {
    throw namedError('StaleError', 'This result belongs to an image that is no longer shown');
  }
  return analysis;
}

async function parseH5(spec: ModelSpec, bytes: Uint8Array, name: string): Promise<tfl.LayersModel> {
  try {
    // Core names both networks when the file belongs to another one, else the first mismatch.
    return await loadModelWeights(spec, bytes, name);
  } catch (e) {
    if (e instanceof Error && e.name === 'WeightsError')
      throw namedError('MismatchError', e.message);
    // Not HDF5, truncated, not a Keras weights file: core's messages name the file.
    if (e instanceof Error && e.message.includes(`"${name}"`))
      throw namedError('WeightsFileError', e.message);
    throw e;
  }
}

/** One forward and backward pass on a grey image, so the first real photo runs at full speed. */
async function warmUp(ex: ModelExplainer): Promise<void> {
  const { inputWidth: w, inputHeight: h } = ex.profile;
  const grey = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4).fill(128) };
  const a = ex.analyze(grey);
  try {
    await a.explain({ method: 'gradcam' });
  } finally {
    a.dispose();
  }
}

// --- API -------------------------------------------------------------------------------------

/** What the comparison and sanity-check jobs (compare-jobs.ts) see of this worker's state. */
const jobContext: compareJobs.JobContext = {
  explainer: () => explainer,
  requireAnalysis,
  signalFor,
  checkEpoch,
  namedError,
};

const api: EngineApi = {
  async init(options: InitOptions) {
    if (options.cancelEpoch) shareEpoch(options.cancelEpoch);
    if (!backend) backend = await chooseBackend(options.backend, options.wasmUrls, options.threads);
    return backend;
  },

  async cachedWeights() {
    try {
      return await listCached();
    } catch {
      return []; // private windows may have no IndexedDB: the app still works without the store
    }
  },

  loadModel(modelId: string, source: ModelSource, onStage) {
    return serial(async (): Promise<LoadedModel> => {
      const spec = getModelSpec(modelId);
      let model: tfl.LayersModel | null = null;
      let parseMs = 0;
      const t0 = performance.now();
      let from: LoadedModel['source'];
      let origin: LoadedModel['origin'];
      let sha256: string;
      let size = 0;
      if (source.kind === 'cache') {
        onStage?.('build');
        const stored = await readCached(source.id);
        model = stored && restore(spec, stored.weights);
        if (!stored || !model) {
          await deleteCached(source.id).catch(() => undefined);
          throw namedError('CacheMiss', `No usable stored weights for ${source.id}`);
        }
        ({ origin, sha256 } = stored.entry);
        from = 'cache';
      } else {
        onStage?.('parse');
        // Hashed before parsing: h5wasm takes the bytes over.
        sha256 = await sha256Hex(source.bytes);
        size = source.bytes.byteLength;
        origin = source.origin;
        model = await parseH5(spec, new Uint8Array(source.bytes), origin.fileName);
        parseMs = performance.now() - t0;
        from = 'h5';
      }
      const buildMs = performance.now() - t0 - parseMs;
      // Only now, with the new network ready, does the old one go (a bad file keeps the old).
      disposeAnalysis();
      explainer?.dispose();
      explainer = new Explainer(spec, model);
      userInfo = null;
      onStage?.('warmup');
      await warmUp(explainer);
      let stored = from === 'cache';
      if (source.kind === 'bytes') {
        onStage?.('store');
        try {
          await writeCached({ modelId, sha256, bytes: size, origin }, snapshot(model));
          stored = true;
        } catch {
          stored = false; // quota or no IndexedDB: the next visit parses the file again
        }
      }
      const layers = explainer.camLayers().map((l) => ({ ...l }));
      return { modelId, layers, source: from, stored, parseMs, buildMs, origin, sha256 };
    });
  },

  loadUserModel(files) {
    return serial(async (): Promise<UserModelResult> => {
      const t0 = performance.now();
      const named = files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) }));
      let loaded: Awaited<ReturnType<typeof loadUserModel>>;
      try {
        // Core decides by content: HDF5, a .keras zip or a model.json; labels among the files.
        loaded = await loadUserModel(named);
      } catch (e) {
        if (!(e instanceof Error && e.name === 'UserModelError')) throw e;
        // An ImageNet weights file (no model config) goes on to the chosen network's weights.
        if (named.length === 1 && /holds only weights/.test(e.message)) {
          return { kind: 'weights-only' };
        }
        throw namedError('UserModelError', e.message);
      }
      // Only now, with the user's model ready, does the old network go (bad files keep it).
      disposeAnalysis();
      explainer?.dispose();
      explainer = loaded.explainer;
      userInfo = loaded.info;
      await warmUp(explainer);
      const info = loaded.info;
      const layers = explainer.camLayers().map((l) => ({ ...l }));
      return {
        kind: 'loaded',
        info,
        loaded: {
          modelId: `user:${info.id}`,
          layers,
          source: 'h5',
          stored: false,
          parseMs: info.loadMs,
          buildMs: performance.now() - t0 - info.loadMs,
          origin: { kind: 'user', fileName: info.fileName },
          sha256: '',
        },
      };
    });
  },

  configureUserModel(changes) {
    return serial(async () => {
      if (!explainer || !userInfo) throw namedError('NoModel', 'No model of your own is loaded');
      disposeAnalysis();
      explainer.configure({ preprocessing: changes.preprocessing });
    });
  },

  analyze(req: AnalyzeRequest) {
    return serial(async (): Promise<AnalyzeResult> => {
      checkEpoch(req.epoch);
      if (!explainer) throw namedError('NoModel', 'The network is not loaded yet');
      const t0 = performance.now();
      const s = explainer.profile.inputWidth;
      // The file itself, decoded here as Keras decodes it; core converts to grayscale for a
      // one-channel model and resizes exactly as Pillow does.
      const rgba = await decodePixels(req.image);
      checkEpoch(req.epoch);
      disposeAnalysis();
      analysis = explainer.analyze(rgba);
      analysisGen = req.gen;
      const predictions = analysis.top(req.k).map(dto);
      return { gen: req.gen, predictions, inputSize: s, ms: performance.now() - t0 };
    });
  },

  explain(req: ExplainRequest, onProgress) {
    return serial(async (): Promise<ExplainResult> => {
      checkEpoch(req.epoch);
      const a = requireAnalysis(req.gen);
      const methodOptions =
        req.maxChannels === undefined ? undefined : { maxChannels: req.maxChannels };
      const e = await a.explain({
        method: req.method,
        classIndex: req.classIndex,
        counterfactual: req.counterfactual,
        layer: req.layer,
        methodOptions,
        signal: signalFor(req.epoch),
        onProgress: throttled(onProgress),
      });
      checkEpoch(req.epoch);
      // Is the map weak? The same question with the gradients' sign reversed (cached gradients).
      const balance = await evidenceBalance(a, e, {
        methodOptions,
        signal: signalFor(req.epoch),
      });
      checkEpoch(req.epoch);
      lastOutput = {
        id: ++outputSeq,
        classIndex: e.target.index,
        output: e.output,
        method: e.method,
        layer: e.layer,
        counterfactual: e.counterfactual,
      };
      const { result, transfers } = explainResult(
        req.gen,
        e,
        a.activations(e.layer),
        methodOptions,
      );
      result.outputId = lastOutput.id;
      if (balance) result.balance = balance;
      return Comlink.transfer(result, transfers);
    });
  },

  predictMasked(req: MaskedRequest) {
    return serial(async (): Promise<MaskedResult> => {
      checkEpoch(req.epoch);
      const a = requireAnalysis(req.gen);
      const t0 = performance.now();
      const r = hideAndPredict(a, req.map, req.classIndex, req.threshold);
      return {
        gen: req.gen,
        before: r.before.probability,
        after: r.after.probability,
        logitBefore: r.before.logit,
        logitAfter: r.after.logit,
        hidden: r.hidden,
        top: dto(r.top),
        ms: performance.now() - t0,
      };
    });
  },

  measure(req: MeasureRequest, onProgress) {
    return serial(async (): Promise<MeasureResult> => {
      checkEpoch(req.epoch);
      const a = requireAnalysis(req.gen);
      const kept = lastOutput;
      if (!kept || kept.id !== req.outputId) {
        throw namedError('StaleError', 'The map has changed since this measurement was asked for');
      }
      const t0 = performance.now();
      const f = await faithfulness(a, kept.output, {
        classIndex: kept.classIndex,
        steps: req.steps,
        baseline: req.baseline,
        signal: signalFor(req.epoch),
        onProgress: throttled(onProgress),
      });
      checkEpoch(req.epoch);
      const curve = (c: typeof f.deletion) => ({
        fractions: c.fractions,
        probabilities: Array.from(c.probabilities),
        logits: Array.from(c.logits),
        auc: c.auc,
      });
      const { before, after, change, averageDrop } = f.confidence;
      return {
        gen: req.gen,
        outputId: kept.id,
        baseline: f.baseline,
        steps: f.steps,
        deletion: curve(f.deletion),
        insertion: curve(f.insertion),
        confidence: { before, after, change, averageDrop },
        ms: performance.now() - t0,
      };
    });
  },

  anatomy(req: AnatomyRequest) {
    return serial(async (): Promise<AnatomyDto> => {
      checkEpoch(req.epoch);
      const a = requireAnalysis(req.gen);
      const kept = lastOutput;
      if (!kept || kept.id !== req.outputId) {
        throw namedError('StaleError', 'The map has changed since its computation was asked for');
      }
      const o = kept.output;
      const d = anatomyData(a, {
        method: kept.method,
        layer: kept.layer,
        classIndex: kept.classIndex,
        counterfactual: kept.counterfactual,
        channelWeights: o.kind === 'layer' ? o.channelWeights : undefined,
      });
      const transfers = [d.activations, d.gradients, d.channelWeights, d.component]
        .filter((x): x is Float32Array => x !== undefined)
        .map((x) => x.buffer as ArrayBuffer);
      return Comlink.transfer({ ...d, outputId: kept.id }, transfers);
    });
  },

  explainSet: (req, onProgress) =>
    serial(() => compareJobs.explainSet(jobContext, req, throttled(onProgress))),

  explainOnNetwork: (req, onStage) =>
    serial(() => compareJobs.explainOnNetwork(jobContext, req, onStage)),

  // The network is randomised in place: the queue keeps every other job out until it is restored.
  sanity: (req, onProgress) => serial(() => compareJobs.sanity(jobContext, req, onProgress)),

  async cancel(epoch: number) {
    setLocalEpoch(epoch);
  },

  async forgetWeights(id) {
    await deleteCached(id);
  },

  async forgetUserWeights() {
    await deleteUserCached();
  },
};

Comlink.expose(api);
