// The shared base every method runs on (the engine imports it; the registry does not, so the method
// list stays free of TensorFlow.js at runtime): weighted sum, ReLU, normalisation.
import * as tf from '@tensorflow/tfjs-core';
import type { CamContext, CamMethod, CamOutput, LayerMap, LayerMethod } from './types.js';

/**
 * ReLU, then division by the maximum. An all-zero (or all-negative) map stays zero; a map whose
 * maximum is tiny but positive still reaches 1, so weak evidence is not hidden.
 */
export async function finishMap(raw: tf.Tensor2D, channelWeights?: tf.Tensor1D): Promise<LayerMap> {
  const [height, width] = raw.shape;
  const relu = tf.relu(raw);
  const values = (await relu.data()) as Float32Array;
  relu.dispose();
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max > 0 && Number.isFinite(max)) for (let i = 0; i < values.length; i++) values[i] /= max;
  else values.fill(0);
  const out: LayerMap = { kind: 'layer', width, height, values, rawMax: max };
  if (channelWeights) out.channelWeights = (await channelWeights.data()) as Float32Array;
  return out;
}

/** sum_k alpha_k A_k: A [1, H, W, K] weighted by alpha [K], as an [H, W] map (before ReLU). */
export function weightedSum(a: tf.Tensor4D, alpha: tf.Tensor1D): tf.Tensor2D {
  const [, h, w] = a.shape;
  return tf.tidy(() => tf.reshape(tf.sum(tf.mul(a, alpha), 3), [h, w]) as tf.Tensor2D);
}

/**
 * The pytorch-grad-cam split: a method supplies either channel weights alpha_k (the base computes
 * ReLU(sum_k alpha_k A_k), Selvaraju et al., IJCV 2020, eq. 2) or a whole map (the base applies ReLU);
 * either way the base normalises. Upsampling to the image is done once, by the renderer.
 */
async function computeLayerMap(method: LayerMethod, ctx: CamContext): Promise<LayerMap> {
  const a = await ctx.activations();
  const g = method.kind === 'gradient' ? await ctx.gradients() : null;
  let w: tf.Tensor1D | null = null;
  if (method.weightsAsync) w = await method.weightsAsync(tf, ctx, a, g);
  else if (method.weights) w = tf.tidy(() => method.weights!(tf, a, g));
  try {
    const raw = w
      ? weightedSum(a, w)
      : tf.tidy(() => {
          if (!method.map)
            throw new Error(`${method.id} supplies neither channel weights nor a map`);
          return method.map(tf, a, g);
        });
    try {
      return await finishMap(raw, w ?? undefined);
    } finally {
      raw.dispose();
    }
  } finally {
    w?.dispose();
  }
}

/** Runs a registered method on a context: the engine's one entry into the method formulas. */
export async function computeCam(method: CamMethod, ctx: CamContext): Promise<CamOutput> {
  if (method.kind === 'saliency') {
    return method.saliency(tf, ctx, (m) => computeLayerMap(m, ctx));
  }
  return computeLayerMap(method, ctx);
}
