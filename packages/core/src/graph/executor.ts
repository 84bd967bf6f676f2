import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { LayerGraph, type GraphNode } from './layer-graph.js';
import { OpCache, runOp, type OpOptions } from './ops.js';

export interface ExecutorOptions {
  /**
   * The output is one sigmoid (or raw) unit z for "class 1": report it as two logits [-z, z], so
   * that class 0 ("the opposite") has probability sigmoid(-z) = 1 - p and its gradient is -dz.
   */
  binaryOutput?: boolean;
}

export interface ForwardResult {
  /** Pre-softmax class scores, [batch, classes]. */
  logits: tf.Tensor2D;
  /** Outputs of the layers asked for in `keep`, by name. The caller owns (and disposes) them. */
  kept: Map<string, tf.Tensor>;
}

/**
 * Runs a functional model layer by layer so that any intermediate output can be kept, and so that
 * the part of the network after a chosen layer (its "head", residual shortcuts included) can be
 * re-run and differentiated on its own: the forward pass is paid once, the backward pass only
 * through the head.
 */
export class GraphExecutor {
  readonly graph: LayerGraph;
  private readonly opCache = new OpCache();

  constructor(
    readonly model: tfl.LayersModel,
    readonly options: ExecutorOptions = {},
  ) {
    this.graph = new LayerGraph(model);
  }

  /** The output layer's value without its softmax/sigmoid, as class logits [batch, classes]. */
  private logitsOf(out: tf.Tensor): tf.Tensor {
    return this.options.binaryOutput ? tf.concat([tf.neg(out), out], 1) : out;
  }

  /**
   * Forward pass with the layers' own (fused, fastest) kernels. Returns logits (the output layer's
   * softmax or sigmoid is dropped) and the outputs named in `keep`. Every other intermediate is disposed as
   * soon as its last consumer has run.
   */
  forward(input: tf.Tensor4D, keep: Iterable<string> = []): ForwardResult {
    const keepSet = new Set(keep);
    for (const k of keepSet) this.graph.node(k);
    const g = this.graph;
    const live = new Map<string, tf.Tensor>();
    const remaining = new Map<string, number>();
    for (const n of g.nodes) remaining.set(n.name, (g.consumers.get(n.name) ?? []).length);
    const kept = new Map<string, tf.Tensor>();
    let logits: tf.Tensor2D | null = null;
    try {
      for (const node of g.nodes) {
        let out: tf.Tensor;
        if (node.name === g.inputName) {
          out = tf.clone(input);
        } else {
          const ins = node.inputs.map((i) => live.get(i)!);
          out =
            node.name === g.outputName
              ? tf.tidy(() =>
                  this.logitsOf(runOp(node, ins, { guided: false }, this.opCache, true)),
                )
              : this.callLayer(node, ins);
          for (const i of node.inputs) {
            const r = remaining.get(i)! - 1;
            remaining.set(i, r);
            if (r === 0) {
              const t = live.get(i)!;
              live.delete(i);
              if (!keepSet.has(i)) t.dispose();
            }
          }
        }
        if (keepSet.has(node.name)) kept.set(node.name, out);
        if (node.name === g.outputName) logits = out as tf.Tensor2D;
        else live.set(node.name, out);
      }
    } catch (e) {
      const owned = new Set<tf.Tensor>([...live.values(), ...kept.values()]);
      if (logits) owned.add(logits);
      for (const t of owned) t.dispose();
      throw e;
    }
    for (const [name, t] of live) if (!keepSet.has(name)) t.dispose();
    if (keepSet.has(g.outputName)) kept.set(g.outputName, tf.clone(logits!));
    return { logits: logits!, kept };
  }

  private callLayer(node: GraphNode, ins: tf.Tensor[]): tf.Tensor {
    // tidy: tfjs-layers' ReLU(max_value) leaks one tensor per call otherwise.
    // An identity layer (Dropout at inference) returns its input: clone it, since the input is
    // disposed once its last consumer has run.
    return tf.tidy(() => {
      const res = node.layer.call(ins.length === 1 ? ins[0] : ins, {});
      const out = Array.isArray(res) ? res[0] : res;
      return ins.includes(out) ? tf.clone(out) : out;
    });
  }

  /**
   * Logits as a function of layer `target`'s output `a`, given the side inputs the head needs
   * (see LayerGraph.sideInputs), with differentiable ops. Runs inside the caller's tidy/grad.
   */
  head(target: string, a: tf.Tensor, side: Map<string, tf.Tensor>, opts: OpOptions): tf.Tensor2D {
    const g = this.graph;
    const values = new Map<string, tf.Tensor>(side);
    values.set(target, a);
    let out: tf.Tensor | null = null;
    for (const name of g.descendants(target)) {
      const node = g.node(name);
      const ins = node.inputs.map((i) => {
        const v = values.get(i);
        if (!v) throw new Error(`Missing input ${i} for layer ${name}`);
        return v;
      });
      out = runOp(node, ins, opts, this.opCache, name === g.outputName);
      if (name === g.outputName) out = this.logitsOf(out);
      values.set(name, out);
    }
    if (!out) throw new Error(`Layer ${target} has no layers after it`);
    return out as tf.Tensor2D;
  }

  /**
   * d(logit of `classIndex`)/d(output of `target`), batch 1, reusing a forward pass's kept tensors.
   * `kept` must hold `target` and its side inputs (use `keepFor(target)` when running forward).
   */
  gradient(
    target: string,
    kept: Map<string, tf.Tensor>,
    classIndex: number,
    opts: OpOptions = { guided: false },
  ): tf.Tensor {
    const a = kept.get(target);
    if (!a) throw new Error(`Activation of ${target} was not kept by the forward pass`);
    const side = new Map<string, tf.Tensor>();
    for (const s of this.graph.sideInputs(target)) {
      const t = kept.get(s);
      if (!t) throw new Error(`Side input ${s} of ${target} was not kept by the forward pass`);
      side.set(s, t);
    }
    const f = (x: tf.Tensor) => {
      const logits = this.head(target, x, side, opts);
      return tf.sum(tf.slice(logits, [0, classIndex], [-1, 1]));
    };
    return tf.grad(f)(a);
  }

  /** Names a forward pass must keep to later differentiate the head after `target`. */
  keepFor(target: string): string[] {
    const problem = this.graph.camProblem(target);
    if (problem) throw new Error(`Cannot compute a map at this layer: ${problem}`);
    return [target, ...this.graph.sideInputs(target)];
  }

  /**
   * Gradient of a class logit with respect to the input image through the whole network, with
   * guided ReLUs when `guided` (guided backpropagation). Needs no forward pass beforehand.
   */
  inputGradient(
    input: tf.Tensor4D,
    classIndex: number,
    guided: boolean,
    sign: 1 | -1 = 1,
  ): tf.Tensor4D {
    const g = this.graph;
    const f = (x: tf.Tensor) => {
      const logits = this.head(g.inputName, x, new Map(), { guided });
      return tf.mul(tf.sum(tf.slice(logits, [0, classIndex], [-1, 1])), sign);
    };
    return tf.grad(f)(input) as tf.Tensor4D;
  }

  /**
   * Forgets the constants derived from the weights (folded batch norms, flipped filters): call it
   * after writing new values into the model's weights (the sanity check's randomisation).
   */
  weightsChanged(): void {
    this.opCache.dispose();
  }

  dispose(): void {
    this.opCache.dispose();
  }
}
