import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { SaliencyMethod } from './types.js';
import gradcam from './gradcam.js';
import { toSaliency } from './guided-backprop.js';

/**
 * Guided Grad-CAM (Selvaraju et al., IJCV 2020, section 3.2): guided backpropagation multiplied
 * pointwise by the Grad-CAM map upsampled (bilinearly) to the input: high-resolution and
 * class-discriminative.
 */
export const guidedGradCam: SaliencyMethod = {
  id: 'guided-gradcam',
  name: 'Guided Grad-CAM',
  summary:
    'Guided backpropagation masked by Grad-CAM: fine detail, only where the class evidence is.',
  citation: 'Selvaraju et al., "Grad-CAM", IJCV 2020, §3.2',
  kind: 'saliency',
  supportsCounterfactual: true,
  async saliency(tf, ctx, layerMap) {
    const cam = await layerMap(gradcam);
    const guided = await ctx.inputGradient(true);
    const product = tf.tidy(() => {
      const map = tf.tensor4d(cam.values, [1, cam.height, cam.width, 1]);
      const [h, w] = ctx.inputShape ?? [ctx.inputSize, ctx.inputSize];
      const up = tf.image.resizeBilinear(map, [h, w], false, true);
      return tf.mul(guided, up) as Tensor4D;
    });
    try {
      return await toSaliency(product);
    } finally {
      product.dispose();
    }
  },
};

export default guidedGradCam;
