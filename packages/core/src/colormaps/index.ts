export type { Colormap } from './types.js';
export { LUT_SIZE, colorIndex } from './types.js';
export type { ColormapId } from './registry.js';
export { COLORMAPS, DEFAULT_COLORMAP, getColormap, isColormapId } from './registry.js';
