// A user's own model (Keras .h5 / .keras, TensorFlow.js layers model): loading, labels, errors.
export { UserModelError } from './errors.js';
export {
  loadUserModel,
  type LoadUserModelOptions,
  type UserModel,
  type UserModelInfo,
} from './load.js';
export { sniff, type FileKind, type UserModelFile, type UserModelFormat } from './sources.js';
export { labelsFor, parseLabels } from './labels.js';
export type { OutputInfo, PreprocessingInfo, UserModelWarning } from './describe.js';
export { SUPPORTED_LAYER_CLASSES } from './layers.js';
