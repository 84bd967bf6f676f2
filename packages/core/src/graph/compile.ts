// The inference graph: a network's layers compiled, when first run, into a list of steps with
// batch normalisation folded into the preceding convolution, bias and ReLU fused into it, explicit
// zero padding moved into the convolution and identity layers dropped. A convolution step also has
// a differentiable form (same folded weights, ops.ts's convolutions) for the head's gradients.
import * as tf from '@tensorflow/tfjs-core';
import type { GraphNode, LayerGraph } from './layer-graph.js';
import {
  activationName,
  applyActivation,
  conv,
  depthwiseConv,
  OpCache,
  pair,
  runOp,
  weight as read,
  type AnyLayer,
  type OpOptions,
} from './ops.js';
import { hasHeadOp } from './more-ops.js';

/** One step of the compiled graph: computes value `output` from values `inputs`. */
export interface Step {
  output: string;
  inputs: string[];
  /** The layers this step stands for, first to last (e.g. conv, batch norm, ReLU). */
  layers: string[];
  /** Short description for profiles, e.g. "conv+bn+relu6". */
  kind: string;
  run(inputs: tf.Tensor[]): tf.Tensor;
  /** The same computation with differentiable ops (for the head), where it differs from `run`. */
  grad?(inputs: tf.Tensor[], opts: OpOptions): tf.Tensor;
}

export interface Plan {
  steps: Step[];
  /** Dropped identity layers (Dropout, linear Activation): layer -> the value it equals. */
  aliases: Map<string, string>;
}

type FusedAct = 'linear' | 'relu' | 'relu6';
type Pad =
  'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const fields = (n: GraphNode) => n.layer as unknown as AnyLayer;
const CONVS = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);

/** The activation a layer applies, as a name ('linear' when none; 'other' for custom layers). */
function activationOf(n: GraphNode): string {
  if (hasHeadOp(n.layer)) return 'other';
  const l = fields(n);
  if (n.className === 'ReLU') {
    const max = l['maxValue'] as number | null | undefined;
    return max === null || max === undefined ? 'relu' : max === 6 ? 'relu6' : 'other';
  }
  if (n.className === 'Activation' || CONVS.has(n.className) || n.className === 'Dense') {
    return activationName(l);
  }
  return 'other';
}

const isFusable = (a: string): a is FusedAct => a === 'linear' || a === 'relu' || a === 'relu6';

/** A ReLU or ReLU6 layer (not the output: that one must stay as it is). */
function isRelu(n: GraphNode): boolean {
  if (n.className !== 'ReLU' && n.className !== 'Activation') return false;
  const a = activationOf(n);
  return a === 'relu' || a === 'relu6';
}

/** Channels-last batch normalisation (the only kind folded). */
function isChannelsLastBn(n: GraphNode): boolean {
  if (n.className !== 'BatchNormalization' || hasHeadOp(n.layer)) return false;
  const axis = fields(n)['axis'];
  const a = Array.isArray(axis) && axis.length === 1 ? Number(axis[0]) : Number(axis);
  return a === -1 || a === n.shape.length;
}

/**
 * Weights derived from the layers' weights (folded kernels and biases), kept until the weights
 * change. Keyed by the step's layers.
 */
export class FoldCache {
  private readonly values = new Map<string, (tf.Tensor | null)[]>();

  /** `make`'s tensors, made once; the layers' own weights among them are returned as they are. */
  get(key: string, make: () => (tf.Tensor | null)[]): (tf.Tensor | null)[] {
    let v = this.values.get(key);
    if (!v) {
      // (tidy passes the nulls through; kept: the step may run inside another tidy.)
      const made = tf.tidy(make as () => tf.Tensor[]) as (tf.Tensor | null)[];
      v = made.map((t) => (t && !(t instanceof tf.Variable) ? tf.keep(t) : t));
      this.values.set(key, v);
    }
    return v;
  }

  dispose(): void {
    for (const v of this.values.values()) {
      for (const t of v) if (t && !(t instanceof tf.Variable)) t.dispose();
    }
    this.values.clear();
  }
}

/**
 * A convolution, with batch norm y = x * scale + shift (Ioffe & Szegedy 2015, Alg. 2, inference)
 * folded in: conv(x, k) * scale + b * scale + shift = conv(x, k * scale) + (b * scale + shift),
 * the scale applied per output channel. Returns [kernel(s)..., bias].
 */
function foldConv(conv: GraphNode, bn: GraphNode | null, ops: OpCache): (tf.Tensor | null)[] {
  const l = fields(conv);
  const depthwise = conv.className === 'DepthwiseConv2D';
  const separable = conv.className === 'SeparableConv2D';
  const k = read(l, depthwise || separable ? 'depthwiseKernel' : 'kernel') as tf.Tensor4D;
  const pk = separable ? (read(l, 'pointwiseKernel') as tf.Tensor4D) : null;
  const outKernel = pk ?? k;
  const channels = depthwise ? k.shape[2] * k.shape[3] : outKernel.shape[3];
  const own = read(l, 'bias');
  if (!bn) return pk ? [k, pk, own] : [k, own];
  let bias = own ?? tf.zeros([channels]);
  const { scale, shift } = ops.batchNorm(bn);
  bias = tf.add(tf.mul(bias, scale), shift);
  // Depthwise kernel [kh, kw, cin, mult]: output channel c * mult + m.
  const s = depthwise ? tf.reshape(scale, [k.shape[2], k.shape[3]]) : scale;
  const folded = tf.mul(outKernel, s);
  return pk ? [k, folded, bias] : [folded, bias];
}

/** A folded, fused convolution step. */
function convStep(
  group: GraphNode[],
  conv: GraphNode,
  bn: GraphNode | null,
  act: FusedAct,
  pad: Pad,
  folds: FoldCache,
  ops: OpCache,
): Pick<Step, 'run' | 'grad'> {
  const l = fields(conv);
  const strides = pair(l['strides'], 1);
  const dilations = pair(l['dilationRate'], 1);
  const key = group.map((n) => n.name).join('+');
  const consts = () => folds.get(key, () => foldConv(conv, bn, ops));
  const grad = convGrad(conv.className, act, pad, strides, dilations, consts, ops);
  if (conv.className === 'SeparableConv2D') {
    const run = ([x]: tf.Tensor[]) => {
      const [dk, pk, bias] = consts() as [tf.Tensor4D, tf.Tensor4D, tf.Tensor | null];
      const d = tf.depthwiseConv2d(
        x as tf.Tensor4D,
        dk as tf.Tensor4D,
        strides,
        pad,
        'NHWC',
        dilations,
      );
      try {
        return tf.fused.conv2d({
          x: d,
          filter: pk as tf.Tensor4D,
          strides: 1,
          pad: 'valid',
          bias: bias ?? undefined,
          activation: act,
        });
      } finally {
        d.dispose();
      }
    };
    return { run, grad };
  }
  // (tfjs' type for the depthwise op omits explicit padding, which the op supports.)
  const op = (
    conv.className === 'DepthwiseConv2D' ? tf.fused.depthwiseConv2d : tf.fused.conv2d
  ) as typeof tf.fused.conv2d;
  const run = ([x]: tf.Tensor[]) => {
    const [filter, bias] = consts() as [tf.Tensor4D, tf.Tensor | null];
    return op({
      x: x as tf.Tensor4D,
      filter: filter as tf.Tensor4D,
      strides,
      pad,
      dilations,
      bias: bias ?? undefined,
      activation: act,
    });
  };
  return { run, grad };
}

/**
 * A convolution step's differentiable form: the same folded weights through ops.ts's convolutions
 * (input gradients from forward kernels), bias, then the activation (guided when asked).
 */
function convGrad(
  cls: string,
  act: FusedAct,
  pad: Pad,
  strides: [number, number],
  dilations: [number, number],
  consts: () => (tf.Tensor | null)[],
  ops: OpCache,
): NonNullable<Step['grad']> {
  const dilated = dilations[0] !== 1 || dilations[1] !== 1;
  const padding = typeof pad === 'string' ? pad : 'valid';
  const dw = (x: tf.Tensor4D, k: tf.Tensor4D, s: [number, number]) =>
    dilated || k.shape[3] !== 1
      ? tf.depthwiseConv2d(x, k, s, padding, 'NHWC', dilations)
      : depthwiseConv(x, k, s, padding, ops.backFilter(k, true));
  return ([input], opts) => {
    const c = consts() as (tf.Tensor4D | null)[];
    const x = (typeof pad === 'string' ? input : tf.pad(input, pad)) as tf.Tensor4D;
    let y: tf.Tensor4D;
    if (cls === 'SeparableConv2D') {
      y = conv(dw(x, c[0]!, strides), c[1]!, [1, 1], 'valid', ops.backFilter(c[1]!, false));
    } else if (cls === 'DepthwiseConv2D') {
      y = dw(x, c[0]!, strides);
    } else {
      y = dilated
        ? tf.conv2d(x, c[0]!, strides, padding, 'NHWC', dilations)
        : conv(x, c[0]!, strides, padding, ops.backFilter(c[0]!, false));
    }
    const bias = c[c.length - 1];
    return applyActivation(bias ? tf.add(y, bias) : y, act, opts);
  };
}

/**
 * Compiles `graph` for forward passes that keep the values named in `keep` (a kept layer ends a
 * fused group: its own output must exist). Unknown layers run through their own `call`.
 */
export function compile(
  graph: LayerGraph,
  keep: ReadonlySet<string>,
  folds: FoldCache,
  ops: OpCache,
): Plan {
  const steps: Step[] = [];
  const aliases = new Map<string, string>();
  const absorbed = new Set<string>();
  const resolve = (name: string) => aliases.get(name) ?? name;
  const sole = (n: GraphNode): GraphNode | null => {
    const c = graph.consumers.get(n.name) ?? [];
    if (c.length !== 1 || keep.has(n.name) || c[0] === graph.outputName) return null;
    return graph.node(c[0]);
  };
  const channelsLast = (n: GraphNode) =>
    !hasHeadOp(n.layer) && (fields(n)['dataFormat'] ?? 'channelsLast') === 'channelsLast';
  const add = (
    n: GraphNode,
    kind: string,
    run: Step['run'],
    group: GraphNode[] = [n],
    inputs = n.inputs,
    grad?: Step['grad'],
  ) =>
    steps.push({
      output: group[group.length - 1].name,
      inputs: inputs.map(resolve),
      layers: group.map((g) => g.name),
      kind,
      run,
      grad,
    });

  for (const node of graph.nodes) {
    if (absorbed.has(node.name) || node.name === graph.inputName) continue;
    const isOutput = node.name === graph.outputName;
    const cls = node.className;
    if (hasHeadOp(node.layer) && !isOutput) {
      add(node, cls, callLayer(node));
      continue;
    }
    if (
      !isOutput &&
      (cls === 'Dropout' || (cls === 'Activation' && activationOf(node) === 'linear'))
    ) {
      aliases.set(node.name, resolve(node.inputs[0]));
      continue;
    }
    // Zero padding feeding only a 'valid' convolution: the convolution pads instead.
    let padNode: GraphNode | null = null;
    let conv = node;
    if (cls === 'ZeroPadding2D' && channelsLast(node)) {
      const next = sole(node);
      if (
        next &&
        CONVS.has(next.className) &&
        fields(next)['padding'] === 'valid' &&
        channelsLast(next)
      ) {
        padNode = node;
        conv = next;
      }
    }
    if (CONVS.has(conv.className) && channelsLast(conv) && conv.name !== graph.outputName) {
      const group = padNode ? [padNode, conv] : [conv];
      let act = activationOf(conv);
      let bn: GraphNode | null = null;
      let next = sole(conv);
      if (act === 'linear' && next && isChannelsLastBn(next)) {
        bn = next;
        group.push(next);
        next = sole(next);
      }
      if (act === 'linear' && next && isRelu(next)) {
        act = activationOf(next);
        group.push(next);
      }
      if (isFusable(act)) {
        let pad: Pad = fields(conv)['padding'] as 'same' | 'valid';
        if (padNode) {
          const p = fields(padNode)['padding'] as [[number, number], [number, number]];
          pad = [[0, 0], p[0], p[1], [0, 0]];
        }
        for (const g of group) absorbed.add(g.name);
        const kind = [
          conv.className === 'DepthwiseConv2D'
            ? 'dwconv'
            : conv.className === 'SeparableConv2D'
              ? 'sepconv'
              : 'conv',
          bn ? 'bn' : '',
          act === 'linear' ? '' : act,
        ]
          .filter(Boolean)
          .join('+');
        const { run, grad } = convStep(group, conv, bn, act, pad, folds, ops);
        add(conv, (padNode ? 'pad+' : '') + kind, run, group, (padNode ?? conv).inputs, grad);
        continue;
      }
    }
    if (cls === 'Dense' && node.inputs.length === 1) {
      const a = activationOf(node);
      const act = isOutput && (a === 'softmax' || a === 'sigmoid') ? 'linear' : a;
      if (isFusable(act)) {
        const l = fields(node);
        add(node, act === 'linear' ? 'dense' : `dense+${act}`, ([x]) => {
          if (x.rank !== 2)
            return tf.tidy(() => runOp(node, [x], { guided: false }, ops, isOutput));
          const b = read(l, 'kernel') as tf.Tensor2D;
          const bias = read(l, 'bias') ?? undefined;
          return tf.fused.matMul({ a: x as tf.Tensor2D, b, bias, activation: act });
        });
        continue;
      }
    }
    if (isOutput) {
      // The output layer without its softmax or sigmoid (logits).
      add(node, cls, (ins) => tf.tidy(() => runOp(node, ins, { guided: false }, ops, true)));
      continue;
    }
    if (isChannelsLastBn(node)) {
      // Not after a convolution: x * scale + shift, as the head computes it.
      add(node, 'bn', (ins) => tf.tidy(() => runOp(node, ins, { guided: false }, ops)));
      continue;
    }
    if (cls === 'Add') {
      const next = sole(node);
      const relu = next && isRelu(next) ? activationOf(next) : 'linear';
      const group = relu === 'linear' ? [node] : [node, next!];
      for (const g of group) absorbed.add(g.name);
      add(
        node,
        relu === 'linear' ? 'add' : `add+${relu}`,
        (ins) =>
          tf.tidy(() => {
            const s =
              ins.length === 1
                ? tf.clone(ins[0])
                : ins.length === 2
                  ? tf.add(ins[0], ins[1])
                  : tf.addN(ins);
            return relu === 'relu' ? tf.relu(s) : relu === 'relu6' ? tf.relu6(s) : s;
          }),
        group,
      );
      continue;
    }
    add(node, cls, callLayer(node));
  }
  return { steps, aliases };
}

/** Any other layer: its own call (tidy: tfjs-layers' ReLU(max_value) leaks otherwise). */
function callLayer(node: GraphNode): Step['run'] {
  return (ins) =>
    tf.tidy(() => {
      const res = node.layer.call(ins.length === 1 ? ins[0] : ins, {});
      const out = Array.isArray(res) ? res[0] : res;
      return ins.includes(out) ? tf.clone(out) : out;
    });
}
