// The contract between the page and the engine worker (comlink RPC). Types only, plus the
// structured-clone-friendly shapes both sides exchange.
import type {
  AnatomyData,
  BackendName,
  CamLayerInfo,
  ComputationSteps,
  EvidenceBalance,
  Prediction,
  PreprocessMode,
  UserModelInfo,
} from '@gradcam-explorer/core/pure';
import type { CompareApi } from './compare-protocol';

export type { BackendName };
export type BackendChoice = BackendName | 'auto';

export interface BackendInfo {
  name: BackendName;
  /** wasm: XNNPACK threads actually running (getThreadsCount). */
  threads?: number;
  /** WebGL: the UNMASKED_RENDERER string, when the driver tells. */
  renderer?: string;
  /** Why this backend was chosen, in one sentence (footer tooltip, bench report). */
  reason: string;
  /** Milliseconds spent initialising. */
  ms: number;
}

export interface InitOptions {
  /** URLs of the three tfjs-backend-wasm binaries, keyed by their file names. */
  wasmUrls: Record<string, string>;
  backend: BackendChoice;
  /** wasm threads to ask for (default navigator.hardwareConcurrency). */
  threads?: number;
  /**
   * Cancellation epoch shared with the page (one Int32). A job started at epoch e is cancelled as
   * soon as the page increments it: no message has to reach the busy worker.
   */
  cancelEpoch?: SharedArrayBuffer;
}

/**
 * Where a weights file came from: the local server's official file (`version`: its HTTP validator,
 * so a replaced file is not mistaken for the stored one) or a file the user chose.
 */
export type WeightsOrigin =
  { kind: 'server'; fileName: string; version: string } | { kind: 'user'; fileName: string };

export type ModelSource =
  /** A parsed copy in the browser store (`CachedWeights.id`). */
  { kind: 'cache'; id: string } | { kind: 'bytes'; bytes: ArrayBuffer; origin: WeightsOrigin };

/** A layer where a map can be computed (core's description). */
export type CamLayer = CamLayerInfo;

export interface LoadedModel {
  modelId: string;
  layers: CamLayer[];
  /** Where the weights came from: the browser's parsed-model store or a .h5 file just parsed. */
  source: 'cache' | 'h5';
  /** Whether the parsed weights are now in the browser store. */
  stored: boolean;
  parseMs: number;
  buildMs: number;
  origin: WeightsOrigin;
  /** SHA-256 of the .h5 file (hex). */
  sha256: string;
}

/** An entry of the browser store: content-keyed data, plus where it came from. */
export interface CachedWeights {
  /** `server|<modelId>` or `user|<modelId>`: at most one of each per network. */
  id: string;
  modelId: string;
  sha256: string;
  /** Size of the .h5 file. */
  bytes: number;
  origin: WeightsOrigin;
  savedAt: number;
}

/** A file of a user's own model, as dropped or picked (the bytes are transferred). */
export interface UserModelFileDto {
  name: string;
  bytes: ArrayBuffer;
}

/**
 * `loadUserModel`'s answer: the model now loaded (`loaded.modelId` is `user:<id>`) and what was
 * understood of it, or `weights-only` for one HDF5 file of weights without a model (an official
 * ImageNet weights file: the page loads it as the chosen network's weights).
 */
export type UserModelResult =
  { kind: 'loaded'; loaded: LoadedModel; info: UserModelInfo } | { kind: 'weights-only' };

/** A prediction as core returns it (index, label, probability, logit). */
export type PredictionDto = Prediction;

export interface AnalyzeRequest {
  gen: number;
  epoch: number;
  /** The photo's file: the worker decodes it as Keras does (no colour management, alpha kept). */
  image: Blob;
  /** Predictions to return (the chart's slider goes to 10). */
  k: number;
}

export interface AnalyzeResult {
  gen: number;
  predictions: PredictionDto[];
  inputSize: number;
  ms: number;
}

export interface ExplainRequest {
  gen: number;
  epoch: number;
  method: string;
  classIndex: number;
  counterfactual: boolean;
  layer: string;
  /** Score-CAM: channels to score (0 = all); ignored by the other methods. */
  maxChannels?: number;
}

export interface LayerMapDto {
  kind: 'layer';
  width: number;
  height: number;
  values: Float32Array;
  rawMax: number;
}

export interface SaliencyDto {
  kind: 'saliency';
  width: number;
  height: number;
  rgb: Float32Array;
  magnitude: Float32Array;
}

/**
 * The intermediate quantities of the computation, for "How was this computed?": core's
 * `computationSteps` (activation shape, channel weights, top channels, weighted sum before ReLU).
 */
export type { ComputationSteps } from '@gradcam-explorer/core/pure';

export interface ExplainResult {
  gen: number;
  method: string;
  layer: string;
  counterfactual: boolean;
  target: PredictionDto;
  output: LayerMapDto | SaliencyDto;
  steps: ComputationSteps;
  ms: number;
  /** Names the map the worker keeps for `measure` (one per explanation). */
  outputId: number;
  /** Score-CAM: channels actually scored. */
  channelsScored?: number;
  /**
   * Core `evidenceBalance`: the map's raw maximum against that of the same method's map with the
   * gradients' sign reversed (is this map weak?). Absent for methods without a counterfactual.
   */
  balance?: EvidenceBalance;
}

export interface AnatomyRequest {
  gen: number;
  epoch: number;
  /** The explanation to take apart (`ExplainResult.outputId`): stale when another one came since. */
  outputId: number;
}

/** Core `anatomyData` of an explanation: activations, gradients as used, Eigen-CAM's component. */
export interface AnatomyDto extends AnatomyData {
  outputId: number;
}

export interface MaskedRequest {
  gen: number;
  epoch: number;
  classIndex: number;
  /** The map to threshold (layer resolution), upsampled to the input in the worker. */
  map: { width: number; height: number; values: Float32Array };
  threshold: number;
}

export interface MaskedResult {
  gen: number;
  before: number;
  after: number;
  /** Target-class logits before and after (a probability can rise because other logits fall). */
  logitBefore: number;
  logitAfter: number;
  /** Share of input pixels blacked out. */
  hidden: number;
  /** The new top-1 after masking. */
  top: PredictionDto;
  ms: number;
}

export type FaithfulnessBaseline = 'blur' | 'black';

export interface MeasureRequest {
  gen: number;
  epoch: number;
  /** The explanation to measure (`ExplainResult.outputId`): stale when another one came since. */
  outputId: number;
  baseline: FaithfulnessBaseline;
  /** Curve steps (default 20: 2 x 21 + 1 forward passes). */
  steps?: number;
}

export interface CurveDto {
  /** Fraction of pixels removed or revealed, 0..1. */
  fractions: number[];
  /** Target-class probability at each fraction. */
  probabilities: number[];
  /** Target-class logit at each fraction (shown beside the probability). */
  logits: number[];
  auc: number;
}

/** Core's `faithfulness` for the kept map: Petsiuk et al. 2018 curves, map-multiplied input. */
export interface MeasureResult {
  gen: number;
  outputId: number;
  baseline: FaithfulnessBaseline;
  steps: number;
  deletion: CurveDto;
  insertion: CurveDto;
  confidence: { before: number; after: number; change: number; averageDrop: number };
  ms: number;
}

/** The worker's API as the page sees it (every method async through comlink). */
export interface EngineApi extends CompareApi {
  init(options: InitOptions): Promise<BackendInfo>;
  cachedWeights(): Promise<CachedWeights[]>;
  loadModel(
    modelId: string,
    source: ModelSource,
    onStage?: (stage: 'parse' | 'build' | 'store' | 'warmup') => void,
  ): Promise<LoadedModel>;
  /** Core `loadUserModel` on dropped files; the user's model replaces the loaded network. */
  loadUserModel(files: UserModelFileDto[]): Promise<UserModelResult>;
  /** Changes the loaded user model's preprocessing (analyses made from now on). */
  configureUserModel(changes: { preprocessing: PreprocessMode }): Promise<void>;
  analyze(req: AnalyzeRequest): Promise<AnalyzeResult>;
  explain(req: ExplainRequest, onProgress?: (fraction: number) => void): Promise<ExplainResult>;
  predictMasked(req: MaskedRequest): Promise<MaskedResult>;
  measure(req: MeasureRequest, onProgress?: (fraction: number) => void): Promise<MeasureResult>;
  /** The arrays behind the last explanation's map, for "How was this computed?". */
  anatomy(req: AnatomyRequest): Promise<AnatomyDto>;
  /** Fallback when SharedArrayBuffer is unavailable: cancel jobs started before this call. */
  cancel(epoch: number): Promise<void>;
  forgetWeights(id: string): Promise<void>;
  /** Deletes every stored copy of the user's own files (Reset). */
  forgetUserWeights(): Promise<void>;
}

/** Errors cross the worker boundary as plain objects; `code` lets the page choose the message. */
export type EngineErrorCode = 'cancelled' | 'stale' | 'weights' | 'mismatch' | 'internal';

/** Error names of a .h5 file that cannot be read or does not fit the network. */
export const BAD_FILE_ERRORS: readonly string[] = ['MismatchError', 'WeightsFileError'];
