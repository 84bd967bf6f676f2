// `@gradcam-explorer/core/pure`: the parts of core that need neither TensorFlow.js nor h5wasm
// (the model registry as plain data, colormaps, pixel rendering, image resizing, ImageNet labels, the
// CAM method registry and its options, the hiding rule), for a UI thread that must stay light.
export type * from './models/types.js';
export { MODELS, MODEL_IDS, getModelSpec, type ModelId } from './models/registry.js';
export * from './colormaps/index.js';
export * from './render/index.js';
export * from './imagenet/index.js';
export type { RgbaImage } from './image/types.js';
export { resizeRgba } from './image/resize.js';
export type * from './cams/types.js';
export { CAM_METHODS, DEFAULT_METHOD, getCamMethod } from './cams/registry.js';
export * from './cams/options.js';
export { DEFAULT_SCORECAM_OPTIONS, type ScoreCamOptions } from './cams/scorecam.js';
export {
  heatGrid,
  hiddenShare,
  hideRegions,
  type HeatGrid,
  type HideResult,
} from './explain/hide.js';
export type { ChannelContribution, ComputationSteps } from './explain/steps.js';
// The anatomy of a map ("How was this computed?") and the weak-map comparison, plain arrays.
export * from './explain/anatomy.js';
export { balanceOf, WEAK_RATIO, type EvidenceBalance } from './explain/evidence.js';
// Types of the engine's answers, for code that talks to an engine in a worker (no runtime import).
export type { BackendName } from './backend.js';
export type { Prediction } from './engine.js';
export type { CamLayerInfo } from './graph/layer-graph.js';
// The sanity check's plain parts: blocks per family, similarity formulas, the result's types.
export * from './sanity/blocks.js';
export * from './sanity/methods.js';
export * from './sanity/similarity.js';
export type * from './sanity/cascade.js';
// A user's own model, plain parts: preprocessing modes, labels parsing, what loading returns.
export * from './network.js';
export { parseLabels, labelsFor } from './custom/labels.js';
export { UserModelError } from './custom/errors.js';
export type { UserModelInfo, UserModelFile, UserModelWarning } from './custom/index.js';
