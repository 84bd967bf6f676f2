import * as tf from '@tensorflow/tfjs-core';
import type { CamContext, CamKind, CamMethod, CamOutput, LayerMap } from './types.js';

/** Common metadata of a method. */
export interface MethodInfo {
  id: string;
  name: string;
  summary: string;
  citation: string;
  kind: CamKind;
}

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

/**
 * The pytorch-grad-cam split: a method supplies either channel weights alpha_k (the base computes
 * ReLU(sum_k alpha_k A_k), Selvaraju et al., IJCV 2020, eq. 2) or a whole map (the base applies ReLU);
 * either way the base normalises. Upsampling to the image is done once, by the renderer.
 */
export abstract class LayerCamMethod implements CamMethod {
  readonly kind: CamKind;
  readonly supportsCounterfactual: boolean;
  constructor(readonly info: MethodInfo) {
    this.kind = info.kind;
    this.supportsCounterfactual = info.kind === 'gradient';
  }
  get id(): string {
    return this.info.id;
  }
  get name(): string {
    return this.info.name;
  }
  get summary(): string {
    return this.info.summary;
  }
  get citation(): string {
    return this.info.citation;
  }

  /** Channel weights [K] from A and G, both [1, H, W, K]; or null when the method gives a map. */
  protected weights(_a: tf.Tensor4D, _g: tf.Tensor4D | null): tf.Tensor1D | null {
    return null;
  }

  /** A map [H, W] (before ReLU) for methods without channel weights. */
  protected map(_a: tf.Tensor4D, _g: tf.Tensor4D | null): tf.Tensor2D {
    throw new Error(`${this.id} supplies neither channel weights nor a map`);
  }

  /** Async channel weights (e.g. Score-CAM's forward passes); defaults to `weights`. */
  protected async weightsAsync(
    ctx: CamContext,
    a: tf.Tensor4D,
    g: tf.Tensor4D | null,
  ): Promise<tf.Tensor1D | null> {
    void ctx;
    return this.weights(a, g);
  }

  async compute(ctx: CamContext): Promise<CamOutput> {
    const a = await ctx.activations();
    const g = this.kind === 'gradient' ? await ctx.gradients() : null;
    const w = await this.weightsAsync(ctx, a, g);
    const raw = tf.tidy(() => {
      const [, h, wd] = a.shape;
      if (w) {
        // sum_k alpha_k A_k
        return tf.reshape(tf.sum(tf.mul(a, w), 3), [h, wd]) as tf.Tensor2D;
      }
      return this.map(a, g);
    });
    try {
      return await finishMap(raw, w ?? undefined);
    } finally {
      raw.dispose();
      w?.dispose();
    }
  }
}
