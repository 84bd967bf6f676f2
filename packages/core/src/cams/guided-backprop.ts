import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { SaliencyMap, SaliencyMethod } from './types.js';

/**
 * Packs an input gradient [1, S, S, 3] as a saliency map (magnitude = max_c |g|, divided by its
 * max); a grayscale model's [1, S, S, 1] gradient becomes gray RGB.
 */
export async function toSaliency(g: Tensor4D): Promise<SaliencyMap> {
  const [, height, width, channels] = g.shape;
  const data = (await g.data()) as Float32Array;
  const rgb =
    channels === 1
      ? Float32Array.from({ length: 3 * data.length }, (_, i) => data[Math.floor(i / 3)])
      : data;
  const magnitude = new Float32Array(width * height);
  let max = 0;
  for (let i = 0; i < magnitude.length; i++) {
    const m = Math.max(Math.abs(rgb[3 * i]), Math.abs(rgb[3 * i + 1]), Math.abs(rgb[3 * i + 2]));
    magnitude[i] = m;
    if (m > max) max = m;
  }
  if (max > 0) for (let i = 0; i < magnitude.length; i++) magnitude[i] /= max;
  return { kind: 'saliency', width, height, rgb: Float32Array.from(rgb), magnitude };
}

/**
 * Guided backpropagation (Springenberg et al. 2015, section 3.4): the gradient of the class logit
 * with respect to the input pixels, where every ReLU passes a gradient only where both its input
 * and the incoming gradient are positive. Fine-grained but not class-discriminative on its own.
 */
export const guidedBackprop: SaliencyMethod = {
  id: 'guided-backprop',
  name: 'Guided backpropagation',
  summary: 'Pixel-level gradients through "guided" ReLUs: sharp edges, but barely class-specific.',
  citation: 'Springenberg et al., "Striving for Simplicity", ICLR Workshop 2015, section 3.4',
  kind: 'saliency',
  supportsCounterfactual: true,
  async saliency(_tf, ctx) {
    return toSaliency(await ctx.inputGradient(true));
  },
};

export default guidedBackprop;
