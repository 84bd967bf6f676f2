import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { LayerGraph } from './layer-graph.js';
import { knownDense, OpCache, runOp, type OpOptions } from './ops.js';
import { compile, FoldCache, type Plan } from './compile.js';

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
  private readonly folds = new FoldCache();
  private readonly plans = new Map<string, Plan>();

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
   * Forward pass through the compiled inference graph (compile.ts: batch norms folded, bias and
   * ReLU fused into the convolutions). Returns logits (the output layer's softmax or sigmoid is
   * dropped) and the outputs named in `keep`. Every other intermediate is disposed as soon as its
   * last consumer has run.
   */
  forward(input: tf.Tensor4D, keep: Iterable<string> = []): ForwardResult {
    const keepSet = new Set(keep);
    for (const k of keepSet) this.graph.node(k);
    const plan = this.plan(keepSet);
    const resolve = (name: string) => plan.aliases.get(name) ?? name;
    const keptValues = new Set([...keepSet].map(resolve));
    const remaining = new Map<string, number>();
    for (const s of plan.steps)
      for (const i of s.inputs) remaining.set(i, (remaining.get(i) ?? 0) + 1);
    const live = new Map<string, tf.Tensor>([[this.graph.inputName, tf.clone(input)]]);
    let out: tf.Tensor | null = null;
    try {
      for (const step of plan.steps) {
        const y = step.run(step.inputs.map((i) => live.get(i)!));
        live.set(step.output, y);
        for (const i of step.inputs) {
          const r = remaining.get(i)! - 1;
          remaining.set(i, r);
          if (r === 0 && !keptValues.has(i)) {
            live.get(i)!.dispose();
            live.delete(i);
          }
        }
      }
      out = live.get(this.graph.outputName)!;
      live.delete(this.graph.outputName);
      const logits = tf.tidy(() => this.logitsOf(out!)) as tf.Tensor2D;
      if (logits === out) out = null;
      const kept = new Map<string, tf.Tensor>();
      const given = new Set<tf.Tensor>();
      for (const k of keepSet) {
        const t = k === this.graph.outputName ? logits : live.get(resolve(k))!;
        // One tensor per name: a dropped identity layer shares its input's value.
        kept.set(k, given.has(t) || t === logits ? tf.clone(t) : t);
        given.add(t);
      }
      for (const t of live.values()) if (!given.has(t)) t.dispose();
      return { logits, kept };
    } catch (e) {
      for (const t of live.values()) t.dispose();
      throw e;
    } finally {
      out?.dispose();
    }
  }

  /** The compiled graph for forward passes keeping `keep` (a few are cached). */
  plan(keep: ReadonlySet<string>): Plan {
    const key = [...keep].sort().join('\n');
    let p = this.plans.get(key);
    if (!p) {
      p = compile(this.graph, keep, this.folds, this.opCache);
      if (this.plans.size >= 8) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, p);
    }
    return p;
  }

  /**
   * Logits as a function of layer `target`'s output `a`, given the side inputs the head needs
   * (see LayerGraph.sideInputs), with differentiable ops. Runs inside the caller's tidy/grad.
   */
  head(
    target: string,
    a: tf.Tensor,
    side: Map<string, tf.Tensor>,
    opts: OpOptions,
    known: Map<string, tf.Tensor> = new Map(),
  ): tf.Tensor2D {
    const g = this.graph;
    const values = new Map<string, tf.Tensor>(side);
    values.set(target, a);
    const desc = g.descendants(target);
    if (desc.size === 0) throw new Error(`Layer ${target} has no layers after it`);
    // The compiled graph cut at the target and side inputs: folded convolutions (see compile.ts)
    // run as one differentiable step; other steps run layer by layer.
    const plan = this.plan(new Set([target, ...side.keys()]));
    const dropped = [target, ...side.keys()].some((n) => plan.aliases.has(n));
    const get = (name: string, i: string) => {
      const v = values.get(i) ?? values.get(plan.aliases.get(i) ?? '');
      if (!v) throw new Error(`Missing input ${i} for layer ${name}`);
      return v;
    };
    const layer = (name: string) => {
      const node = g.node(name);
      const ins = node.inputs.map((i) => get(name, i));
      const y = known.get(name);
      let out = (y && knownDense(node, ins[0], y, opts)) || runOp(node, ins, opts, this.opCache, name === g.outputName); // prettier-ignore
      if (name === g.outputName) out = this.logitsOf(out);
      values.set(name, out);
    };
    if (dropped) {
      desc.forEach(layer); // (a dropped identity layer as boundary: layer by layer throughout)
    } else {
      for (const step of plan.steps) {
        if (!desc.has(step.output)) continue;
        if (step.grad)
          values.set(step.output, step.grad(step.inputs.map((i) => get(step.output, i)), opts)); // prettier-ignore
        else step.layers.forEach(layer);
      }
    }
    return values.get(g.outputName) as tf.Tensor2D;
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
    const known = new Map<string, tf.Tensor>();
    for (const d of this.knownDense(target)) if (kept.has(d)) known.set(d, kept.get(d)!);
    const f = (x: tf.Tensor) => {
      const logits = this.head(target, x, side, opts, known);
      return tf.sum(tf.slice(logits, [0, classIndex], [-1, 1]));
    };
    return tf.grad(f)(a);
  }

  /**
   * Names a forward pass must keep to later differentiate the head after `target`: its output,
   * the side inputs, and the outputs of the head's dense layers (small vectors that spare the
   * gradient a second product with their kernels, see knownDense).
   */
  keepFor(target: string): string[] {
    const problem = this.graph.camProblem(target);
    if (problem) throw new Error(`Cannot compute a map at this layer: ${problem}`);
    return [target, ...this.graph.sideInputs(target), ...this.knownDense(target)];
  }

  /** The dense layers after `target` (the output layer excepted) whose forward value is reused. */
  private knownDense(target: string): string[] {
    const g = this.graph;
    return [...g.descendants(target)].filter(
      (d) => d !== g.outputName && g.node(d).className === 'Dense',
    );
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
    this.folds.dispose();
  }

  dispose(): void {
    this.opCache.dispose();
    this.folds.dispose();
  }
}
