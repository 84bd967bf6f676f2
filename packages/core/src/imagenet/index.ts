export type { ImagenetClass } from './labels.js';
export { ClassLookupError, IMAGENET_CLASSES, findClass, labelOf, shortLabel } from './labels.js';
