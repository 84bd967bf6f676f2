export {
  readKerasWeights,
  weightKey,
  type KerasWeight,
  type KerasWeightInfo,
  type KerasWeightsFile,
  type KerasWeightsLayout,
  type ReadOptions,
} from './keras-h5.js';
export {
  assignWeights,
  planWeights,
  WeightsError,
  type AssignReport,
  type Matching,
  type WeightsMismatch,
} from './assign.js';
export { checkWeightsFile, loadModelWeights } from './load.js';
export { fileParameterCount, identifyArchitecture } from './identify.js';
