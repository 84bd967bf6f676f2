export {
  readKerasWeights,
  weightKey,
  type KerasWeight,
  type KerasWeightsFile,
} from './keras-h5.js';
export {
  assignWeights,
  WeightsError,
  type AssignReport,
  type Matching,
  type WeightsMismatch,
} from './assign.js';
export { loadModelWeights } from './load.js';
export { fileParameterCount, identifyArchitecture } from './identify.js';
