// What "How was this computed?" needs from an analysis, as plain arrays: the layer's activations,
// the gradients the method used (negated for a counterfactual) and, for Eigen-CAM, its principal
// component. The page takes the map apart from these with `anatomyOf` (anatomy.ts).
import * as tf from '@tensorflow/tfjs-core';
import { eigenComponent } from '../cams/eigencam.js';
import { getCamMethod } from '../cams/registry.js';
import type { Analysis } from '../engine.js';
import type { AnatomyData } from './anatomy.js';

export interface AnatomyQuestion {
  method: string;
  layer: string;
  classIndex: number;
  counterfactual: boolean;
  /** The explanation's channel weights, when the method has them. */
  channelWeights?: Float32Array;
}

/** The arrays of `AnatomyData` for one explanation (copies, owned by the caller). */
export function anatomyData(analysis: Analysis, q: AnatomyQuestion): AnatomyData {
  const method = getCamMethod(q.method);
  const a = analysis.activations(q.layer);
  const [, h, w, k] = a.shape;
  const data: AnatomyData = {
    method: q.method,
    shape: [h, w, k],
    activations: Float32Array.from(a.dataSync()),
  };
  if (q.channelWeights) data.channelWeights = Float32Array.from(q.channelWeights);
  if (method.kind === 'gradient') {
    const g = analysis.gradients(q.layer, q.classIndex).dataSync();
    data.gradients = q.counterfactual ? Float32Array.from(g, (v) => -v) : Float32Array.from(g);
  }
  if (q.method === 'eigencam') data.component = Float32Array.from(eigenComponent(tf, a).component);
  return data;
}
