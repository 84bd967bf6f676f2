// `@gradcam-explorer/core/pure`: the parts of core that need neither TensorFlow.js nor h5wasm
// (colormaps, pixel rendering, image resizing, ImageNet labels), for a UI thread that must stay light.
export * from './colormaps/index.js';
export * from './render/index.js';
export * from './imagenet/index.js';
export type { RgbaImage } from './image/types.js';
export { resizeRgba } from './image/resize.js';
