export { upsampleBilinear } from './upsample.js';
export { colorize, overlay } from './colorize.js';
export type { ColorbarOrientation } from './colorbar.js';
export { colorbar } from './colorbar.js';
export type { NormalizedMap } from './normalize.js';
export { normalizeMap } from './normalize.js';
export type { SaliencyMode, SaliencyOptions } from './saliency.js';
export { saliencyToRgba } from './saliency.js';
