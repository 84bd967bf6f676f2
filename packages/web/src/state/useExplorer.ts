// The app's state and the only code that talks to the worker. Every piece of work carries a
// generation: a new photo, architecture or Reset bumps it, and answers from older work are dropped.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import { CAM_METHODS, DEFAULT_METHOD, MODELS, type ModelMeta } from 'virtual:gradcam-meta';
import { EngineClient, isCancel } from '../lib/engine-client';
import { decodeImage, fitWithin, isWeightsFile, readHeader } from '../lib/image-input';
import { DEFAULT_COLORMAP, type RgbaImage, type SaliencyMode } from '../lib/core-pure';
import {
  DownloadError,
  downloadOnServer,
  fetchServerModels,
  fetchWithProgress,
  serverFileVersion,
  type Progress,
  type ServerModel,
} from '../lib/weights-net';
import type { Heat } from '../lib/compose';
import { mark, measure, MEASURES, record } from '../lib/perf';
import { testHooks } from '../lib/test-hooks';
import {
  measureKey,
  upsertMeasurement,
  type Measurement,
  type MeasureSpec,
} from '../lib/faithfulness-view';
import { DEFAULT_SCORE_CHANNELS, effectiveChannels } from '../lib/scorecam-channels';
import { shortLabel } from '../lib/format';
import type {
  BackendChoice,
  BackendInfo,
  CachedWeights,
  ExplainResult,
  FaithfulnessBaseline,
  LoadedModel,
  MaskedResult,
  PredictionDto,
  WeightsOrigin,
} from '../worker/protocol';
import { damagedMessage, isBadFile, offlineMessage, pickStored } from './weights-source';

export const DEFAULT_MODEL = 'mobilenet_v2';
/** Long side of the overlay's backing store in CSS pixels (times devicePixelRatio, at most 2). */
export const DISPLAY_SIZE = 480;
/** Predictions fetched per photo (the slider's maximum). */
export const MAX_K = 10;

export const DEFAULTS = {
  k: 3,
  colormap: DEFAULT_COLORMAP as string,
  opacity: 50,
  saliencyMode: 'deprocess' as SaliencyMode,
  threshold: 0.5,
  baseline: 'blur' as FaithfulnessBaseline,
  scoreChannels: DEFAULT_SCORE_CHANNELS,
};

export interface Photo {
  id: number;
  name: string;
  /** Object URL of the original file, for the untouched <img>. */
  url: string;
  width: number;
  height: number;
  type: string;
  file: File;
  /** Pixels at display resolution, the overlay's base (the worker decodes `file` itself). */
  base: RgbaImage;
}

export type ModelStatus =
  | { kind: 'starting' }
  | { kind: 'checking' }
  | { kind: 'fetching'; progress: Progress | null }
  | { kind: 'downloading'; progress: Progress | null }
  | { kind: 'loading'; stage: 'parse' | 'build' | 'store' | 'warmup' }
  | { kind: 'ready'; loaded: LoadedModel; token: number; ms: number }
  /** Not on this machine and not stored in the browser: offer the download. */
  | { kind: 'missing'; serverKnown: boolean }
  | { kind: 'offline'; message: string }
  /** The server's file does not load; `canReplace`: it is in the server's cache. */
  | { kind: 'damaged'; message: string; canReplace: boolean }
  | { kind: 'error'; message: string };

export interface AnalysisState {
  gen: number;
  photoId: number;
  /** The network that classified the photo (explanations must use its layers). */
  modelId: string;
  predictions: PredictionDto[];
  ms: number;
}

export interface ExplanationState {
  seq: number;
  photoId: number;
  result: ExplainResult;
  heat: Heat;
}

export interface ExplainRun {
  running: boolean;
  progress: number | null;
  error: string | null;
  cancelled: boolean;
}

/** A running (or cancelled, or failed) faithfulness measurement. */
export interface MeasureRun {
  running: boolean;
  progress: number | null;
  error: string | null;
  cancelled: boolean;
}

const IDLE_RUN = { running: false, progress: null, error: null, cancelled: false };

export interface MaskedState {
  running: boolean;
  result: MaskedResult | null;
  threshold: number;
  error: string | null;
}

let sharedClient: EngineClient | null = null;
/** One worker per page (React's dev double-mount must not start two). */
function client(): EngineClient {
  if (!sharedClient) {
    sharedClient = new EngineClient();
    const c = sharedClient;
    testHooks.workerMessages = () => c.sent;
  }
  return sharedClient;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

const specOf = (id: string): ModelMeta => MODELS.find((m) => m.id === id) ?? MODELS[0];

async function pixelsAt(bitmap: ImageBitmap, width: number, height: number): Promise<RgbaImage> {
  const small =
    width === bitmap.width && height === bitmap.height
      ? bitmap
      : await createImageBitmap(bitmap, {
          resizeWidth: width,
          resizeHeight: height,
          resizeQuality: 'high',
        });
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(small, 0, 0);
  if (small !== bitmap) small.close();
  return { width, height, data: ctx.getImageData(0, 0, width, height).data };
}

export function useExplorer() {
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [backendError, setBackendError] = useState<string | null>(null);
  const [serverModels, setServerModels] = useState<ServerModel[] | null>(null);
  const [cached, setCached] = useState<CachedWeights[]>([]);
  const [modelId, setModelId] = useState(DEFAULT_MODEL);
  const [modelStatus, setModelStatus] = useState<ModelStatus>({ kind: 'starting' });
  const [photo, setPhoto] = useState<Photo | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [imageError, setImageError] = useState<string | null>(null);
  const [analysis, setAnalysis] = useState<AnalysisState | null>(null);
  const [predictError, setPredictError] = useState<string | null>(null);
  const [k, setK] = useState(DEFAULTS.k);
  const [classIndex, setClassIndexState] = useState<number | null>(null);
  const [method, setMethod] = useState(DEFAULT_METHOD);
  const [counterfactual, setCounterfactual] = useState(false);
  const [layer, setLayer] = useState<string | null>(null);
  const [colormap, setColormap] = useState(DEFAULTS.colormap);
  const [opacity, setOpacity] = useState(DEFAULTS.opacity);
  const [saliencyMode, setSaliencyMode] = useState<SaliencyMode>(DEFAULTS.saliencyMode);
  const [explanation, setExplanation] = useState<ExplanationState | null>(null);
  const [explainRun, setExplainRun] = useState<ExplainRun>({
    running: false,
    progress: null,
    error: null,
    cancelled: false,
  });
  const [retry, setRetry] = useState(0);
  const [threshold, setThreshold] = useState(DEFAULTS.threshold);
  const [masked, setMasked] = useState<MaskedState | null>(null);
  /** Score-CAM's channel count (0 = all). */
  const [scoreChannels, setScoreChannels] = useState(DEFAULTS.scoreChannels);
  const [baseline, setBaseline] = useState<FaithfulnessBaseline>(DEFAULTS.baseline);
  /** Faithfulness results for the current photo, oldest first. */
  const [measurements, setMeasurements] = useState<Measurement[]>([]);
  const [measureRun, setMeasureRun] = useState<MeasureRun>(IDLE_RUN);

  /** Bumped by a new photo, architecture or Reset: answers of older work are ignored. */
  const genRef = useRef(0);
  const photoSeq = useRef(0);
  const loadSeq = useRef(0);
  const explainSeq = useRef(0);
  const measureSeq = useRef(0);
  const modelToken = useRef(0);
  const photoRef = useRef<Photo | null>(null);
  const serverRef = useRef<ServerModel[] | null>(null);
  /** Reset's deletion of the user's own weights, awaited before the store is read. */
  const forgetting = useRef<Promise<unknown> | null>(null);
  /** Measures waiting for a heatmap to be drawn. */
  const pending = useRef<{ name: string; start: string; photoId: number; classIndex?: number }[]>(
    [],
  );

  const methodMeta = CAM_METHODS.find((m) => m.id === method) ?? CAM_METHODS[0];
  const spec = specOf(modelId);
  const readyToken = modelStatus.kind === 'ready' ? modelStatus.token : null;
  const readyModel = modelStatus.kind === 'ready' ? modelStatus.loaded.modelId : null;
  const layers = modelStatus.kind === 'ready' ? modelStatus.loaded.layers : [];
  const effectiveLayer = layer ?? spec.defaultLayer;
  const effectiveCounterfactual = counterfactual && methodMeta.supportsCounterfactual;
  const layerChannels = layers.find((l) => l.name === effectiveLayer)?.channels;
  const shownChannels = effectiveChannels(scoreChannels, layerChannels);
  const maxChannels = method === 'scorecam' ? shownChannels : undefined;

  // --- start: backend, then the default architecture ---------------------------------------
  useEffect(() => {
    // ?backend=wasm|webgl|webgpu|cpu and ?threads=N override the automatic choice (benchmarks).
    const params = new URLSearchParams(location.search);
    const param = params.get('backend');
    const choice = (
      ['webgpu', 'webgl', 'wasm', 'cpu'].includes(param ?? '') ? param : 'auto'
    ) as BackendChoice;
    const threads = Number(params.get('threads')) || undefined;
    let live = true;
    client().onCrash = (m) => {
      if (live) setBackendError(`the engine stopped (${m}). Reload the page to start it again.`);
    };
    client()
      .init(choice, threads)
      .then((info) => {
        if (!live) return;
        testHooks.backend = info;
        setBackend(info);
      })
      .catch((e) => live && setBackendError(message(e)));
    return () => {
      live = false;
    };
  }, []);

  const refreshServer = useCallback(async () => {
    const list = await fetchServerModels();
    serverRef.current = list;
    setServerModels(list);
    return list;
  }, []);

  const refreshCached = useCallback(async () => {
    const list = await client().api.cachedWeights();
    setCached(list);
    return list;
  }, []);

  const clearWork = useCallback(() => {
    genRef.current++;
    explainSeq.current++;
    measureSeq.current++;
    client().cancelAll();
    testHooks.lastMap = null;
    testHooks.explained = null;
    setAnalysis(null);
    setExplanation(null);
    setPredictError(null);
    setMasked(null);
    setMeasurements([]);
    setMeasureRun(IDLE_RUN);
    setExplainRun({ running: false, progress: null, error: null, cancelled: false });
  }, []);

  /** Makes `id` the loaded network: browser store, else the server's file, else ask the user. */
  const loadModel = useCallback(
    async (id: string, file?: File) => {
      const seq = ++loadSeq.current;
      const live = () => seq === loadSeq.current;
      const c = client();
      clearWork();
      testHooks.modelReady = false;
      const start = mark('gc:model-start');
      setModelStatus({ kind: 'checking' });
      const onStage = Comlink.proxy((stage: 'parse' | 'build' | 'store' | 'warmup') => {
        if (live()) setModelStatus({ kind: 'loading', stage });
      });
      const ready = (loaded: LoadedModel) => {
        if (!live()) return;
        const ms = measure(MEASURES.modelLoad, start, {
          modelId: id,
          source: loaded.source,
          parseMs: loaded.parseMs,
        });
        testHooks.modelReady = true;
        setModelStatus({ kind: 'ready', loaded, token: ++modelToken.current, ms });
        void refreshCached();
      };
      const fromBytes = async (bytes: ArrayBuffer, origin: WeightsOrigin) => {
        setModelStatus({ kind: 'loading', stage: 'parse' });
        const loaded = await c.api.loadModel(
          id,
          Comlink.transfer({ kind: 'bytes', bytes, origin }, [bytes]),
          onStage,
        );
        ready(loaded);
      };
      try {
        await forgetting.current;
        if (file) {
          await fromBytes(await file.arrayBuffer(), { kind: 'user', fileName: file.name });
          return;
        }
        const server = serverRef.current ?? (await refreshServer());
        const entry = server?.find((m) => m.id === id);
        const stored = await refreshCached();
        const version = entry?.available
          ? await serverFileVersion(entry.fileName, entry.bytes)
          : null;
        const hit = pickStored(stored, id, version);
        if (hit) {
          try {
            ready(await c.api.loadModel(id, { kind: 'cache', id: hit.id }, onStage));
            return;
          } catch (e) {
            if (!(e instanceof Error && e.name === 'CacheMiss')) throw e;
          }
        }
        if (!live()) return;
        if (entry && version !== null) {
          const fetchStart = mark('gc:fetch-start');
          setModelStatus({ kind: 'fetching', progress: null });
          const bytes = await fetchWithProgress(
            `weights/${encodeURIComponent(entry.fileName)}`,
            (p) => live() && setModelStatus({ kind: 'fetching', progress: p }),
            undefined,
            entry.bytes,
          );
          measure(MEASURES.weightsFetch, fetchStart, { bytes: bytes.byteLength });
          if (!live()) return;
          try {
            await fromBytes(bytes, { kind: 'server', fileName: entry.fileName, version });
          } catch (e) {
            if (!isBadFile(e)) throw e;
            if (!live()) return;
            setModelStatus({
              kind: 'damaged',
              message: damagedMessage(specOf(id).name, e.message, entry.source),
              canReplace: entry.source !== 'env-dir',
            });
          }
          return;
        }
        setModelStatus({ kind: 'missing', serverKnown: server !== null });
      } catch (e) {
        if (!live()) return;
        setModelStatus({ kind: 'error', message: message(e) });
      }
    },
    [clearWork, refreshCached, refreshServer],
  );

  // Load the chosen architecture once the backend runs.
  useEffect(() => {
    if (backend) void loadModel(modelId);
  }, [backend, modelId, loadModel]);

  const selectModel = useCallback(
    (id: string) => {
      if (id === modelId) return;
      // In the same render as the new id: no explanation may pair the old analysis with the
      // new network's layers.
      clearWork();
      setLayer(null);
      setModelId(id);
    },
    [modelId, clearWork],
  );

  /** Has the server download the weights (`again`: over its damaged copy), then loads them. */
  const downloadWeights = useCallback(
    async (again = false) => {
      const id = modelId;
      const seq = ++loadSeq.current;
      const live = () => seq === loadSeq.current;
      setModelStatus({ kind: 'downloading', progress: null });
      try {
        await downloadOnServer(
          id,
          (p) => live() && setModelStatus({ kind: 'downloading', progress: p }),
          undefined,
          again,
        );
        if (!live()) return;
        await refreshServer();
        await loadModel(id);
      } catch (e) {
        if (!live()) return;
        if (e instanceof DownloadError && e.code === 'offline') {
          const { name, weights } = specOf(id);
          setModelStatus({
            kind: 'offline',
            message: offlineMessage(name, weights.fileName, again),
          });
        } else setModelStatus({ kind: 'error', message: message(e) });
      }
    },
    [modelId, loadModel, refreshServer],
  );

  const loadWeightsFile = useCallback(
    (file: File) => void loadModel(modelId, file),
    [loadModel, modelId],
  );

  // --- photos --------------------------------------------------------------------------------
  const handleFile = useCallback(
    async (file: File) => {
      if (isWeightsFile(file.name)) {
        loadWeightsFile(file);
        return;
      }
      const start = mark('gc:drop');
      const id = ++photoSeq.current;
      setImageError(null);
      setPhotoBusy(true);
      try {
        const header = await readHeader(file);
        const full = await decodeImage(file);
        if (id !== photoSeq.current) {
          full.close();
          return;
        }
        const dpr = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
        // Display resolution: the overlay's box, small photos enlarged to fill it.
        const [dw, dh] = fitWithin(
          full.width,
          full.height,
          DISPLAY_SIZE * dpr,
          DISPLAY_SIZE * dpr,
          true,
        );
        const base = await pixelsAt(full, dw, dh);
        const width = full.width;
        const height = full.height;
        full.close();
        if (id !== photoSeq.current) return;
        // Only a good photo replaces the current one (a bad file leaves the page as it was).
        clearWork();
        const old = photoRef.current;
        if (old) URL.revokeObjectURL(old.url);
        const next: Photo = {
          id,
          name: file.name,
          url: URL.createObjectURL(file),
          width,
          height,
          type: header.type,
          file,
          base,
        };
        pending.current = [{ name: MEASURES.dropToHeatmap, start, photoId: id }];
        photoRef.current = next;
        setPhoto(next);
      } catch (e) {
        if (id === photoSeq.current) setImageError(message(e));
      } finally {
        if (id === photoSeq.current) setPhotoBusy(false);
      }
    },
    [clearWork, loadWeightsFile],
  );

  // Classify when a photo and a network are both ready (again after an architecture change).
  useEffect(() => {
    if (!photo || readyToken === null) return;
    const gen = ++genRef.current;
    const c = client();
    c.api
      .analyze({ gen, epoch: c.epoch(), image: photo.file, k: MAX_K })
      .then((res) => {
        if (gen !== genRef.current) return;
        record(MEASURES.workerAnalyze, res.ms);
        testHooks.predictions = res.predictions;
        setAnalysis({
          gen,
          photoId: photo.id,
          modelId: readyModel!,
          predictions: res.predictions,
          ms: res.ms,
        });
        setClassIndexState(res.predictions[0].index);
      })
      .catch((e) => {
        if (gen !== genRef.current || isCancel(e)) return;
        setPredictError(message(e));
      });
  }, [photo, readyToken, readyModel]);

  const setClassIndex = useCallback(
    (index: number) => {
      if (index === classIndex || !photo) return;
      pending.current.push({
        name: MEASURES.classSwitch,
        start: mark('gc:class-click'),
        photoId: photo.id,
        classIndex: index,
      });
      setClassIndexState(index);
    },
    [classIndex, photo],
  );

  // Explain whenever the question changes; the worker reuses the analysis' activations.
  useEffect(() => {
    if (!analysis || classIndex === null || analysis.modelId !== modelId) return;
    const seq = ++explainSeq.current;
    measureSeq.current++;
    const c = client();
    c.cancelAll(); // a long method or a measurement still running for the previous question stops
    setExplainRun({ running: true, progress: null, error: null, cancelled: false });
    setMasked(null);
    setMeasureRun(IDLE_RUN);
    c.api
      .explain(
        {
          gen: analysis.gen,
          epoch: c.epoch(),
          method,
          classIndex,
          counterfactual: effectiveCounterfactual,
          layer: effectiveLayer,
          maxChannels,
        },
        Comlink.proxy((f: number) => {
          if (seq === explainSeq.current) {
            setExplainRun((r) => (r.running ? { ...r, progress: f } : r));
          }
        }),
      )
      .then((result) => {
        if (seq !== explainSeq.current || result.gen !== genRef.current) return;
        record(MEASURES.workerExplain, result.ms, { method: result.method });
        const o = result.output;
        const heat: Heat =
          o.kind === 'layer'
            ? { kind: 'layer', width: o.width, height: o.height, values: o.values }
            : {
                kind: 'saliency',
                width: o.width,
                height: o.height,
                rgb: o.rgb,
                magnitude: o.magnitude,
              };
        setExplanation({ seq, photoId: analysis.photoId, result, heat });
        setExplainRun({ running: false, progress: null, error: null, cancelled: false });
      })
      .catch((e) => {
        if (seq !== explainSeq.current) return;
        if (isCancel(e)) {
          setExplainRun({ running: false, progress: null, error: null, cancelled: true });
        } else
          setExplainRun({ running: false, progress: null, error: message(e), cancelled: false });
      });
  }, [
    analysis,
    classIndex,
    method,
    effectiveCounterfactual,
    effectiveLayer,
    maxChannels,
    retry,
    modelId,
  ]);

  const cancelExplain = useCallback(() => {
    explainSeq.current++;
    client().cancelAll();
    setExplainRun({ running: false, progress: null, error: null, cancelled: true });
  }, []);

  const rerunExplain = useCallback(() => setRetry((r) => r + 1), []);

  /** Called by the overlay after drawing: completes the pending timing measures. */
  const onComposed = useCallback((drawn: ExplanationState) => {
    const t = drawn.result.target.index;
    pending.current = pending.current.filter((p) => {
      if (p.photoId !== drawn.photoId) return false;
      if (p.classIndex !== undefined && p.classIndex !== t) return true;
      measure(p.name, p.start, { method: drawn.result.method, classIndex: t });
      return false;
    });
    const h = drawn.heat;
    testHooks.composeCount++;
    testHooks.lastMap =
      h.kind === 'layer'
        ? { width: h.width, height: h.height, values: Array.from(h.values) }
        : { width: h.width, height: h.height, values: Array.from(h.magnitude) };
    testHooks.explained = {
      method: drawn.result.method,
      layer: drawn.result.layer,
      counterfactual: drawn.result.counterfactual,
      classIndex: t,
      channels: drawn.result.channelsScored,
    };
  }, []);

  const predictHidden = useCallback(async () => {
    if (!explanation || explanation.heat.kind !== 'layer') return;
    const seq = explainSeq.current;
    const gen = genRef.current;
    const h = explanation.heat;
    const c = client();
    const t = threshold;
    setMasked({ running: true, result: null, threshold: t, error: null });
    try {
      const result = await c.api.predictMasked({
        gen,
        epoch: c.epoch(),
        classIndex: explanation.result.target.index,
        map: { width: h.width, height: h.height, values: h.values },
        threshold: t,
      });
      if (seq !== explainSeq.current || gen !== genRef.current) return;
      setMasked({ running: false, result, threshold: t, error: null });
    } catch (e) {
      if (seq !== explainSeq.current) return;
      // Cancelled by a measurement's Cancel (one shared epoch): just stop.
      setMasked({
        running: false,
        result: null,
        threshold: t,
        error: isCancel(e) ? null : message(e),
      });
    }
  }, [explanation, threshold]);

  /** Deletion / insertion curves of the shown map (core `faithfulness`, ~43 forward passes). */
  const measureMap = useCallback(async () => {
    const e = explanation;
    if (!e || e.result.gen !== genRef.current) return;
    const r = e.result;
    const seq = ++measureSeq.current;
    const c = client();
    const spec: MeasureSpec = {
      method: r.method,
      layer: r.layer,
      classIndex: r.target.index,
      counterfactual: r.counterfactual,
      baseline,
      channels: r.channelsScored,
    };
    const name = CAM_METHODS.find((m) => m.id === r.method)?.name ?? r.method;
    const label = [
      name + (r.counterfactual ? ' (counterfactual)' : ''),
      r.channelsScored !== undefined ? `${r.channelsScored} channels` : null,
    ]
      .filter(Boolean)
      .join(', ');
    setMeasureRun({ running: true, progress: 0, error: null, cancelled: false });
    try {
      const result = await c.api.measure(
        { gen: r.gen, epoch: c.epoch(), outputId: r.outputId, baseline },
        Comlink.proxy((f: number) => {
          if (seq === measureSeq.current) {
            setMeasureRun((m) => (m.running ? { ...m, progress: f } : m));
          }
        }),
      );
      if (seq !== measureSeq.current || result.gen !== genRef.current) return;
      record(MEASURES.workerMeasure, result.ms, { method: r.method, baseline });
      setMeasurements((list) =>
        upsertMeasurement(list, {
          ...spec,
          key: measureKey(spec),
          label,
          className: shortLabel(r.target.label),
          result,
        }),
      );
      setMeasureRun(IDLE_RUN);
    } catch (err) {
      if (seq !== measureSeq.current) return;
      setMeasureRun(
        isCancel(err) ? { ...IDLE_RUN, cancelled: true } : { ...IDLE_RUN, error: message(err) },
      );
    }
  }, [explanation, baseline]);

  const cancelMeasure = useCallback(() => {
    measureSeq.current++;
    client().cancelAll();
    setMeasureRun({ ...IDLE_RUN, cancelled: true });
  }, []);

  const reset = useCallback(() => {
    photoSeq.current++;
    clearWork();
    const old = photoRef.current;
    if (old) URL.revokeObjectURL(old.url);
    photoRef.current = null;
    pending.current = [];
    setPhoto(null);
    setPhotoBusy(false);
    setImageError(null);
    setClassIndexState(null);
    setK(DEFAULTS.k);
    setMethod(DEFAULT_METHOD);
    setCounterfactual(false);
    setLayer(null);
    setColormap(DEFAULTS.colormap);
    setOpacity(DEFAULTS.opacity);
    setSaliencyMode(DEFAULTS.saliencyMode);
    setThreshold(DEFAULTS.threshold);
    setScoreChannels(DEFAULTS.scoreChannels);
    setBaseline(DEFAULTS.baseline);
    // The user's own weights files are forgotten; the official ones come back.
    const ownLoaded = modelStatus.kind === 'ready' && modelStatus.loaded.origin.kind === 'user';
    forgetting.current = client()
      .api.forgetUserWeights()
      .catch(() => undefined)
      .then(() => refreshCached())
      .catch(() => undefined);
    if (modelId !== DEFAULT_MODEL) setModelId(DEFAULT_MODEL);
    else if (ownLoaded || modelStatus.kind === 'error') void loadModel(DEFAULT_MODEL);
  }, [clearWork, modelId, modelStatus, loadModel, refreshCached]);

  const isCached = useMemo(() => {
    const ids = new Set(cached.map((c) => c.modelId));
    return (id: string) => ids.has(id);
  }, [cached]);

  return {
    backend,
    backendError,
    serverModels,
    isCached,
    modelId,
    spec,
    modelStatus,
    selectModel,
    downloadWeights: () => downloadWeights(),
    redownloadWeights: () => downloadWeights(true),
    loadWeightsFile,
    retryModel: () => void loadModel(modelId),
    photo,
    photoBusy,
    imageError,
    handleFile,
    analysis,
    predictError,
    k,
    setK,
    classIndex,
    setClassIndex,
    method,
    setMethod,
    methodMeta,
    counterfactual,
    effectiveCounterfactual,
    setCounterfactual,
    layers,
    layer: effectiveLayer,
    setLayer,
    colormap,
    setColormap,
    opacity,
    setOpacity,
    saliencyMode,
    setSaliencyMode,
    explanation,
    explainRun,
    cancelExplain,
    rerunExplain,
    onComposed,
    threshold,
    setThreshold,
    masked,
    predictHidden,
    scoreChannels: shownChannels,
    layerChannels,
    setScoreChannels,
    baseline,
    setBaseline,
    measurements,
    measureRun,
    measureMap,
    cancelMeasure,
    reset,
  };
}

export type Explorer = ReturnType<typeof useExplorer>;
