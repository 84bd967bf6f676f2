// The sanity check (Adebayo et al. 2018): blocks, re-initialisation, similarity, the cascade.
export * from './blocks.js';
export * from './methods.js';
export * from './similarity.js';
export { glorotUniform, initialValue, randomizeLayers, WeightSnapshot } from './randomize.js';
export * from './cascade.js';
