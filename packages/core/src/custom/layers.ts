// The Keras layer classes a user model may contain, and how each becomes a TensorFlow.js layer.
// Options are read under their Keras 2 and Keras 3 names (e.g. LeakyReLU `alpha` / `negative_slope`);
// only what inference needs is kept (initialisers, regularisers and constraints are dropped).
import * as tfl from '@tensorflow/tfjs-layers';
import { UserModelError, unsupportedLayer } from './errors.js';
import type { Json } from './keras-config.js';
import {
  DilatedDepthwiseLayer,
  KeepDimsPoolingLayer,
  NormalizationLayer,
  PiecewiseLinearUnitLayer,
  RescalingLayer,
  ResizingLayer,
} from './tf-layers.js';

/** What a builder needs of a flat layer. */
export interface LayerInput {
  name: string;
  className: string;
  config: Json;
}

/**
 * Augmentation and noise layers: identity at inference (Keras runs them only when training), so
 * they are left out of the graph.
 */
const IDENTITY = new Set([
  'RandomFlip',
  'RandomRotation',
  'RandomZoom',
  'RandomContrast',
  'RandomTranslation',
  'RandomBrightness',
  'RandomHeight',
  'RandomWidth',
  'RandomSaturation',
  'RandomHue',
  'RandomGrayscale',
  'RandomSharpness',
  'RandomShear',
  'RandomColorDegeneration',
  'RandomColorJitter',
  'RandomPerspective',
  'RandomErasing',
  'RandomGaussianBlur',
  'RandomInvert',
  'RandomPosterization',
  'RandomElasticTransform',
  'AugMix',
  'RandAugment',
  'CutMix',
  'MixUp',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'SpatialDropout3D',
  'ActivityRegularization',
]);

export function isIdentityLayer(className: string): boolean {
  return IDENTITY.has(className);
}

/** Activations both the forward pass (tfjs-layers) and the executor's head compute alike. */
const ACTIVATIONS: Readonly<Record<string, string>> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  swish: 'swish',
  silu: 'swish',
  gelu: 'gelu',
};

/** Convolution classes: a model needs one to be explained with a class activation map. */
export const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);

type Builder = (l: LayerInput) => tfl.layers.Layer;

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1] ?? v[0])];
  return typeof v === 'number' ? [v, v] : [fallback, fallback];
}

/** Where an option's value is one this app cannot run. */
function unsupportedOption(l: LayerInput, what: string): UserModelError {
  return unsupportedLayer(l.name, l.className, `uses ${what}, which is not supported here`);
}

function checkFormat(l: LayerInput): void {
  const f = l.config['data_format'];
  if (f !== undefined && f !== null && f !== 'channels_last') {
    throw unsupportedOption(l, `data_format "${String(f)}" (only channels_last)`);
  }
}

function padding(l: LayerInput): 'same' | 'valid' {
  const p = l.config['padding'] ?? 'valid';
  if (p !== 'same' && p !== 'valid') throw unsupportedOption(l, `padding "${String(p)}"`);
  return p;
}

/** A Keras activation option (a name, or a Keras 3 `{class_name: 'function', config: name}`). */
export function activationOf(l: LayerInput, v: unknown = l.config['activation']): string {
  let name: unknown = v ?? 'linear';
  if (typeof name === 'object' && name !== null) name = (name as Json)['config'];
  const mapped = typeof name === 'string' ? ACTIVATIONS[name] : undefined;
  if (!mapped) throw unsupportedOption(l, `the activation ${JSON.stringify(name)}`);
  return mapped;
}

const activation = (l: LayerInput) =>
  activationOf(l) as Parameters<typeof tfl.layers.dense>[0]['activation'];

function convCommon(l: LayerInput) {
  checkFormat(l);
  if (num(l.config['groups'], 1) !== 1) throw unsupportedOption(l, 'grouped convolution');
  return {
    name: l.name,
    kernelSize: pair(l.config['kernel_size'], 1),
    strides: pair(l.config['strides'], 1),
    padding: padding(l),
    dilationRate: pair(l.config['dilation_rate'], 1),
    activation: activation(l),
    useBias: l.config['use_bias'] !== false,
  };
}

function pool(l: LayerInput) {
  checkFormat(l);
  const poolSize = pair(l.config['pool_size'], 2);
  const s = l.config['strides'];
  return {
    name: l.name,
    poolSize,
    strides: s === null || s === undefined ? poolSize : pair(s, 1),
    padding: padding(l),
  };
}

function globalPool(l: LayerInput, max: boolean): tfl.layers.Layer {
  checkFormat(l);
  if (l.config['keepdims'] === true) return new KeepDimsPoolingLayer(l.name, max);
  const args = { name: l.name };
  return max ? tfl.layers.globalMaxPooling2d(args) : tfl.layers.globalAveragePooling2d(args);
}

/** A number or a list of numbers from a config (Rescaling scale, Normalization mean...). */
function numbers(l: LayerInput, key: string, fallback?: number): number | Float32Array {
  const v = l.config[key] ?? fallback;
  if (typeof v === 'number') return v;
  const flat = Array.isArray(v) ? (v.flat(4) as unknown[]) : [];
  if (flat.length > 0 && flat.every((x) => typeof x === 'number')) {
    return flat.length === 1 ? (flat[0] as number) : Float32Array.from(flat as number[]);
  }
  throw unsupportedOption(l, `a "${key}" of ${JSON.stringify(v)}`);
}

/** Only the last (channel) axis: Keras 2 saves [3], Keras 3 -1. */
function lastAxis(l: LayerInput, key: string): number {
  const v = l.config[key] ?? -1;
  const axis = Array.isArray(v) && v.length === 1 ? Number(v[0]) : v;
  if (axis === -1 || axis === 3) return -1;
  if (axis === 1) return 1; // after Flatten/Dense: [batch, units]
  throw unsupportedOption(l, `${key}=${JSON.stringify(v)} (only the channel axis)`);
}

const BUILDERS: Readonly<Record<string, Builder>> = {
  Conv2D: (l) => tfl.layers.conv2d({ ...convCommon(l), filters: Number(l.config['filters']) }),
  DepthwiseConv2D: (l) => {
    const c = { ...convCommon(l), depthMultiplier: num(l.config['depth_multiplier'], 1) };
    const dilated = c.dilationRate[0] !== 1 || c.dilationRate[1] !== 1;
    // tfjs-layers' DepthwiseConv2D ignores the dilation rate: our own layer computes it.
    return dilated
      ? new DilatedDepthwiseLayer(l.name, { ...c, activation: activationOf(l) })
      : tfl.layers.depthwiseConv2d(c);
  },
  SeparableConv2D: (l) =>
    tfl.layers.separableConv2d({
      ...convCommon(l),
      filters: Number(l.config['filters']),
      depthMultiplier: num(l.config['depth_multiplier'], 1),
    }),
  Dense: (l) =>
    tfl.layers.dense({
      name: l.name,
      units: Number(l.config['units']),
      activation: activation(l),
      useBias: l.config['use_bias'] !== false,
    }),
  BatchNormalization: (l) =>
    tfl.layers.batchNormalization({
      name: l.name,
      axis: lastAxis(l, 'axis'),
      epsilon: num(l.config['epsilon'], 1e-3),
      center: l.config['center'] !== false,
      scale: l.config['scale'] !== false,
    }),
  MaxPooling2D: (l) => tfl.layers.maxPooling2d(pool(l)),
  AveragePooling2D: (l) => tfl.layers.averagePooling2d(pool(l)),
  GlobalAveragePooling2D: (l) => globalPool(l, false),
  GlobalMaxPooling2D: (l) => globalPool(l, true),
  Flatten: (l) => (checkFormat(l), tfl.layers.flatten({ name: l.name })),
  Dropout: (l) => tfl.layers.dropout({ name: l.name, rate: num(l.config['rate'], 0) }),
  Reshape: (l) =>
    tfl.layers.reshape({ name: l.name, targetShape: l.config['target_shape'] as number[] }),
  Add: (l) => tfl.layers.add({ name: l.name }),
  Multiply: (l) => tfl.layers.multiply({ name: l.name }),
  Concatenate: (l) => tfl.layers.concatenate({ name: l.name, axis: num(l.config['axis'], -1) }),
  ReLU: (l) => {
    const maxValue = l.config['max_value'] as number | null | undefined;
    const negativeSlope = num(l.config['negative_slope'], 0);
    const threshold = num(l.config['threshold'], 0);
    if (negativeSlope === 0 && threshold === 0) {
      return tfl.layers.reLU({ name: l.name, maxValue: maxValue ?? undefined });
    }
    return new PiecewiseLinearUnitLayer(l.name, 'ReLU', { maxValue, negativeSlope, threshold });
  },
  LeakyReLU: (l) =>
    tfl.layers.leakyReLU({
      name: l.name,
      alpha: num(l.config['negative_slope'] ?? l.config['alpha'], 0.3),
    }),
  ELU: (l) => {
    const alpha = num(l.config['alpha'], 1);
    return alpha === 1
      ? tfl.layers.elu({ name: l.name })
      : new PiecewiseLinearUnitLayer(l.name, 'ELU', { alpha });
  },
  Activation: (l) => tfl.layers.activation({ name: l.name, activation: activation(l)! }),
  Softmax: (l) => {
    lastAxis(l, 'axis');
    return tfl.layers.activation({ name: l.name, activation: 'softmax' });
  },
  ZeroPadding2D: (l) => {
    checkFormat(l);
    const padding = l.config['padding'] as
      number | [number, number] | [[number, number], [number, number]];
    return tfl.layers.zeroPadding2d({ name: l.name, padding });
  },
  Cropping2D: (l) => {
    checkFormat(l);
    const cropping = l.config['cropping'] as
      number | [number, number] | [[number, number], [number, number]];
    return tfl.layers.cropping2D({ name: l.name, cropping });
  },
  Rescaling: (l) => new RescalingLayer(l.name, numbers(l, 'scale'), numbers(l, 'offset', 0)),
  Normalization: (l) => {
    lastAxis(l, 'axis');
    const hasMean = l.config['mean'] !== null && l.config['mean'] !== undefined;
    const fixed = hasMean ? { mean: numbers(l, 'mean'), variance: numbers(l, 'variance') } : null;
    return new NormalizationLayer(l.name, fixed, l.config['invert'] === true);
  },
  Resizing: (l) => {
    checkFormat(l);
    const interpolation = l.config['interpolation'] ?? 'bilinear';
    if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
      throw unsupportedOption(l, `interpolation "${String(interpolation)}"`);
    }
    return new ResizingLayer(
      l.name,
      Number(l.config['height']),
      Number(l.config['width']),
      interpolation,
      l.config['crop_to_aspect_ratio'] === true,
    );
  },
};

/** Every supported class (for messages and the page's "what can I load"). */
export const SUPPORTED_LAYER_CLASSES: readonly string[] = Object.freeze([
  ...Object.keys(BUILDERS),
  ...IDENTITY,
  'InputLayer',
  'Sequential',
  'Functional',
]);

/** The TensorFlow.js layer for one Keras layer; a clear error for what cannot run here. */
export function buildLayer(l: LayerInput): tfl.layers.Layer {
  const builder = BUILDERS[l.className];
  if (!builder) throw unsupportedLayer(l.name, l.className);
  try {
    return builder(l);
  } catch (e) {
    if (e instanceof UserModelError) throw e;
    // tfjs-layers refused an option (e.g. a depth multiplier with dilation).
    throw unsupportedOption(l, `options TensorFlow.js cannot run (${(e as Error).message})`);
  }
}
