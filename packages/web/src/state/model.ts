// The network: which one is chosen, where its weights come from (this browser's store, the local
// server's file, a download, the user's own file), and the engine's backend that runs it.
import * as Comlink from 'comlink';
import {
  MODELS,
  type ModelSpec,
  type PreprocessMode,
  type UserModelInfo,
} from '@gradcam-explorer/core/pure';
import { engine } from '../engine/engine-client';
import { mark, measure, MEASURES } from '../perf/user-timing';
import {
  DownloadError,
  downloadOnServer,
  fetchServerModels,
  fetchWithProgress,
  serverFileVersion,
  type Progress,
  type ServerModel,
} from '../weights/weights-net';
import { damagedMessage, isBadFile, offlineMessage, pickStored } from '../weights/weights-source';
import type {
  BackendChoice,
  BackendInfo,
  CachedWeights,
  CamLayer,
  LoadedModel,
  UserModelFileDto,
  WeightsOrigin,
} from '../worker/protocol';
import { errorMessage } from './run';
import type { Slice, Store } from './store';

export const DEFAULT_MODEL = 'mobilenet_v2';

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

/** The user's own model, while it is the loaded network (`modelId` is `user:<id>`). */
export interface UserModelState {
  modelId: string;
  info: UserModelInfo;
}

export interface ModelSlice {
  backend: BackendInfo | null;
  backendError: string | null;
  /** The server's weights files; null when the server has no weights API. */
  serverModels: ServerModel[] | null;
  /** Parsed networks stored in this browser. */
  cached: CachedWeights[];
  modelId: string;
  modelStatus: ModelStatus;
  /** Starts the backend; returns a function that ignores its answer (an unmounted page). */
  startEngine(): () => void;
  /** Makes `id` the loaded network: browser store, else the server's file, else ask the user. */
  loadModel(id: string, file?: File): Promise<void>;
  selectModel(id: string): void;
  /** Has the server download the weights (`again`: over its damaged copy), then loads them. */
  downloadWeights(again?: boolean): Promise<void>;
  loadWeightsFile(file: File): void;
  retryModel(): void;
  /** Forgets the user's own weights files and returns to the default network. */
  resetModel(): void;
  userModel: UserModelState | null;
  /** The user's model files are being read. */
  userModelBusy: boolean;
  /** Why the last files given as a model could not be used (core's UserModelError message). */
  userModelError: string | null;
  /**
   * Files dropped or picked as a model (one .h5/.keras, or model.json with its shards, and maybe
   * a labels file): the worker decides by content. A weights-only .h5 loads as the weights of the
   * chosen ImageNet network instead.
   */
  openModelFiles(files: File[]): Promise<void>;
  /** Changes the user model's preprocessing; the photo is classified again. */
  setUserPreprocessing(mode: PreprocessMode): Promise<void>;
}

const USER_PREFIX = 'user:';
export const isUserModelId = (id: string): boolean => id.startsWith(USER_PREFIX);

/** Descriptions of the user's models, by id (the views read any network through `specOf`). */
const userSpecs = new Map<string, ModelSpec>();

/** A ModelSpec-shaped description of a user's model, for the views that show a network's facts. */
function userSpec(modelId: string, info: UserModelInfo): ModelSpec {
  return {
    ...MODELS[0],
    id: modelId,
    name: info.id,
    inputSize: info.input.width,
    preprocessing: info.preprocessing.mode === 'caffe' ? 'caffe' : 'tf',
    defaultLayer: info.defaultLayer,
    parameters: info.parameters,
    summary: `Your own model (${info.formatLabel})`,
    description: `Your own model, read from ${info.fileName} in this browser.`,
    weights: { fileName: info.fileName, url: '', hash: null, bytes: 0 },
  };
}

export const specOf = (id: string): ModelSpec =>
  userSpecs.get(id) ?? MODELS.find((m) => m.id === id) ?? MODELS[0];

const NO_LAYERS: CamLayer[] = [];

/** The chosen network's description. */
export const modelSpec = (s: Store): ModelSpec => specOf(s.modelId);

/** The loaded network's layers where a map can be computed (none until it is ready). */
export const modelLayers = (s: Store): CamLayer[] =>
  s.modelStatus.kind === 'ready' ? s.modelStatus.loaded.layers : NO_LAYERS;

export const modelReady = (s: Store): boolean => s.modelStatus.kind === 'ready';

export const createModelSlice: Slice<ModelSlice> = (set, get) => {
  let loadSeq = 0;
  let modelToken = 0;
  /** Reset's deletion of the user's own weights, awaited before the store is read. */
  let forgetting: Promise<unknown> | null = null;
  const status = (modelStatus: ModelStatus) => set({ modelStatus });
  let userSeq = 0;
  /** The last registry network chosen: where a weights file goes while a user model is loaded. */
  let registryId = DEFAULT_MODEL;
  /** A weights file for `id`, read when the pipeline loads it (see loadWeightsFile). */
  let pendingWeights: { id: string; file: File } | null = null;

  const refreshServer = async () => {
    const serverModels = await fetchServerModels();
    set({ serverModels });
    return serverModels;
  };

  const refreshCached = async () => {
    const cached = await engine().api.cachedWeights();
    set({ cached });
    return cached;
  };

  return {
    backend: null,
    backendError: null,
    serverModels: null,
    cached: [],
    modelId: DEFAULT_MODEL,
    modelStatus: { kind: 'starting' },
    userModel: null,
    userModelBusy: false,
    userModelError: null,

    startEngine() {
      // ?backend=wasm|webgl|webgpu|cpu and ?threads=N override the automatic choice (benchmarks).
      const params = new URLSearchParams(location.search);
      const param = params.get('backend');
      const choice = (
        ['webgpu', 'webgl', 'wasm', 'cpu'].includes(param ?? '') ? param : 'auto'
      ) as BackendChoice;
      const threads = Number(params.get('threads')) || undefined;
      let live = true;
      engine().onCrash = (m) => {
        if (live) {
          set({ backendError: `the engine stopped (${m}). Reload the page to start it again.` });
        }
      };
      engine()
        .init(choice, threads)
        .then((backend) => live && set({ backend }))
        .catch((e) => live && set({ backendError: errorMessage(e) }));
      return () => {
        live = false;
      };
    },

    async loadModel(id, file) {
      // A user's model is loaded by openModelFiles; the pipeline has nothing to fetch for it.
      if (isUserModelId(id)) return;
      if (!file && pendingWeights?.id === id) {
        file = pendingWeights.file;
        pendingWeights = null;
      }
      registryId = id;
      const seq = ++loadSeq;
      const live = () => seq === loadSeq;
      const c = engine();
      get().clearWork();
      const start = mark('gc:model-start');
      status({ kind: 'checking' });
      const onStage = Comlink.proxy((stage: 'parse' | 'build' | 'store' | 'warmup') => {
        if (live()) status({ kind: 'loading', stage });
      });
      const ready = (loaded: LoadedModel) => {
        if (!live()) return;
        const ms = measure(MEASURES.modelLoad, start, {
          modelId: id,
          source: loaded.source,
          parseMs: loaded.parseMs,
        });
        status({ kind: 'ready', loaded, token: ++modelToken, ms });
        void refreshCached();
      };
      const fromBytes = async (bytes: ArrayBuffer, origin: WeightsOrigin) => {
        status({ kind: 'loading', stage: 'parse' });
        const loaded = await c.api.loadModel(
          id,
          Comlink.transfer({ kind: 'bytes', bytes, origin }, [bytes]),
          onStage,
        );
        ready(loaded);
      };
      try {
        await forgetting;
        if (file) {
          await fromBytes(await file.arrayBuffer(), { kind: 'user', fileName: file.name });
          return;
        }
        const server = get().serverModels ?? (await refreshServer());
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
          status({ kind: 'fetching', progress: null });
          const bytes = await fetchWithProgress(
            `weights/${encodeURIComponent(entry.fileName)}`,
            (p) => live() && status({ kind: 'fetching', progress: p }),
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
            status({
              kind: 'damaged',
              message: damagedMessage(specOf(id).name, e.message, entry.source),
              canReplace: entry.source !== 'env-dir',
            });
          }
          return;
        }
        status({ kind: 'missing', serverKnown: server !== null });
      } catch (e) {
        if (!live()) return;
        status({ kind: 'error', message: errorMessage(e) });
      }
    },

    selectModel(id) {
      if (id === get().modelId) return;
      // In the same update as the new id: no explanation may pair the old analysis with the new
      // network's layers.
      get().clearWork();
      set({ layer: null, modelId: id, ...(isUserModelId(id) ? {} : { userModel: null }) });
    },

    async downloadWeights(again = false) {
      const id = get().modelId;
      const seq = ++loadSeq;
      const live = () => seq === loadSeq;
      status({ kind: 'downloading', progress: null });
      try {
        await downloadOnServer(
          id,
          (p) => live() && status({ kind: 'downloading', progress: p }),
          undefined,
          again,
        );
        if (!live()) return;
        await refreshServer();
        await get().loadModel(id);
      } catch (e) {
        if (!live()) return;
        if (e instanceof DownloadError && e.code === 'offline') {
          const { name, weights } = specOf(id);
          status({ kind: 'offline', message: offlineMessage(name, weights.fileName, again) });
        } else status({ kind: 'error', message: errorMessage(e) });
      }
    },

    loadWeightsFile(file) {
      const id = get().modelId;
      if (!isUserModelId(id)) return void get().loadModel(id, file);
      // The user's model is loaded: the file goes to the last registry network, chosen again.
      pendingWeights = { id: registryId, file };
      get().selectModel(registryId);
    },

    async openModelFiles(files) {
      const seq = ++userSeq;
      set({ userModelBusy: true, userModelError: null });
      try {
        const dtos: UserModelFileDto[] = await Promise.all(
          files.map(async (f) => ({
            name: f.webkitRelativePath || f.name,
            bytes: await f.arrayBuffer(),
          })),
        );
        const res = await engine().api.loadUserModel(
          Comlink.transfer(
            dtos,
            dtos.map((d) => d.bytes),
          ),
        );
        if (seq !== userSeq) return;
        if (res.kind === 'weights-only') {
          set({ userModelBusy: false });
          get().loadWeightsFile(files[0]);
          return;
        }
        const { loaded, info } = res;
        userSpecs.set(loaded.modelId, userSpec(loaded.modelId, info));
        ++loadSeq; // a registry network's load still in flight is no longer wanted
        get().clearWork();
        set({
          userModel: { modelId: loaded.modelId, info },
          userModelBusy: false,
          modelId: loaded.modelId,
          layer: null,
          modelStatus: { kind: 'ready', loaded, token: ++modelToken, ms: info.loadMs },
        });
      } catch (e) {
        if (seq === userSeq) set({ userModelBusy: false, userModelError: errorMessage(e) });
      }
    },

    async setUserPreprocessing(mode) {
      const user = get().userModel;
      if (!user || user.info.preprocessing.mode === mode) return;
      try {
        await engine().api.configureUserModel({ preprocessing: mode });
      } catch (e) {
        set({ userModelError: errorMessage(e) });
        return;
      }
      const now = get();
      if (now.userModel !== user || now.modelStatus.kind !== 'ready') return;
      const preprocessing = { ...user.info.preprocessing, mode, reason: 'chosen by you' };
      get().clearWork();
      set({
        userModel: { ...user, info: { ...user.info, preprocessing } },
        userModelError: null,
        // A new token: the photo is classified again with the new preprocessing.
        modelStatus: { ...now.modelStatus, token: ++modelToken },
      });
    },

    retryModel: () => void get().loadModel(get().modelId),

    resetModel() {
      const { modelId, modelStatus } = get();
      // The user's own weights files are forgotten; the official ones come back.
      const ownLoaded = modelStatus.kind === 'ready' && modelStatus.loaded.origin.kind === 'user';
      forgetting = engine()
        .api.forgetUserWeights()
        .catch(() => undefined)
        .then(() => refreshCached())
        .catch(() => undefined);
      userSeq++;
      set({ userModel: null, userModelBusy: false, userModelError: null });
      if (modelId !== DEFAULT_MODEL) set({ modelId: DEFAULT_MODEL });
      else if (ownLoaded || modelStatus.kind === 'error') void get().loadModel(DEFAULT_MODEL);
    },
  };
};
