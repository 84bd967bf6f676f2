// Grad-CAM Explorer core: isomorphic (browser, Web Worker, Node) library.
// Data flows one way: image -> resize/preprocess -> model (graph executor) -> CAM method ->
// normalise -> upsample -> colormap/overlay.
export * from './backend.js';
export * from './engine.js';
export * from './network.js';
export * from './custom/index.js';
export * from './util.js';
export type * from './models/types.js';
export { MODELS, MODEL_IDS, getModelSpec, type ModelId } from './models/registry.js';
export { buildModel } from './models/build.js';
export * from './weights/index.js';
export * from './graph/executor.js';
export type { CamLayerInfo, GraphNode } from './graph/layer-graph.js';
export { LayerGraph } from './graph/layer-graph.js';
export type * from './cams/types.js';
export { CAM_METHODS, DEFAULT_METHOD, getCamMethod } from './cams/registry.js';
export * from './cams/options.js';
export { computeCam, finishMap, weightedSum } from './cams/base.js';
export { eigenComponent } from './cams/eigencam.js';
export * from './explain/steps.js';
export * from './explain/hide.js';
export * from './explain/anatomy.js';
export * from './explain/anatomy-data.js';
export * from './explain/evidence.js';
export * from './colormaps/index.js';
export * from './render/index.js';
export * from './imagenet/index.js';
export type { RgbaImage } from './image/types.js';
export { resizeRgba } from './image/resize.js';
export { preprocess } from './image/preprocess.js';
export * from './metrics/faithfulness.js';
export * from './sanity/index.js';
export {
  DEFAULT_SCORECAM_OPTIONS,
  groupIdenticalMasks,
  selectChannels,
  type ScoreCamOptions,
} from './cams/scorecam.js';
