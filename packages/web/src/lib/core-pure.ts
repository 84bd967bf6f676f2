// The TensorFlow.js-free parts of core that the main thread uses (colormaps and pixel rendering);
// core's main entry also loads TensorFlow.js and h5wasm, which only the worker needs.
export * from '@gradcam-explorer/core/pure';
