import type * as tfl from '@tensorflow/tfjs-layers';

/** One layer of a functional model, with the names of the layers feeding it. */
export interface GraphNode {
  name: string;
  className: string;
  layer: tfl.layers.Layer;
  inputs: string[];
  /** Output shape without the batch dimension, e.g. [7, 7, 1280]. */
  shape: number[];
}

/** A layer at which a class activation map can be computed. */
export interface CamLayerInfo {
  name: string;
  className: string;
  /** Map resolution (height, width) and channel count of the layer's output. */
  height: number;
  width: number;
  channels: number;
  /** True for the architecture's default Grad-CAM layer. */
  isDefault: boolean;
}

/**
 * Layers whose 4-D output is not a meaningful place for a map: padding and cropping shift the grid;
 * a model's own input preprocessing still holds the image, not features.
 */
const NOT_CAM_LAYERS = new Set([
  'InputLayer',
  'ZeroPadding2D',
  'Cropping2D',
  'Rescaling',
  'Normalization',
  'Resizing',
]);

/**
 * The layer graph of a single-input, single-output tfjs-layers functional model, in topological
 * order, read from the model's own nodes (so residual branches are edges, not a replayed chain).
 */
export class LayerGraph {
  readonly nodes: GraphNode[];
  readonly byName = new Map<string, GraphNode>();
  readonly consumers = new Map<string, string[]>();
  readonly inputName: string;
  readonly outputName: string;
  private readonly descendantCache = new Map<string, Set<string>>();

  constructor(model: tfl.LayersModel) {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new Error('LayerGraph supports models with one input and one output');
    }
    const unordered: GraphNode[] = model.layers.map((layer) => {
      const node = layer.inboundNodes[0];
      const inputs = node ? node.inboundLayers.map((l) => l.name) : [];
      const outShape = layer.outputShape as number[];
      return {
        name: layer.name,
        className: layer.getClassName(),
        layer,
        inputs,
        shape: outShape.slice(1) as number[],
      };
    });
    for (const n of unordered) this.byName.set(n.name, n);
    // Kahn's algorithm; model.layers is usually ordered already, this makes it certain.
    const indegree = new Map(unordered.map((n) => [n.name, n.inputs.length]));
    for (const n of unordered) {
      for (const i of n.inputs) {
        if (!this.byName.has(i)) throw new Error(`Layer ${n.name} consumes unknown layer ${i}`);
        const list = this.consumers.get(i) ?? [];
        list.push(n.name);
        this.consumers.set(i, list);
      }
    }
    const ready = unordered.filter((n) => n.inputs.length === 0).map((n) => n.name);
    const order: GraphNode[] = [];
    while (ready.length > 0) {
      const name = ready.shift()!;
      order.push(this.byName.get(name)!);
      for (const c of this.consumers.get(name) ?? []) {
        const d = indegree.get(c)! - 1;
        indegree.set(c, d);
        if (d === 0) ready.push(c);
      }
    }
    if (order.length !== unordered.length) throw new Error('Model graph has a cycle');
    this.nodes = order;
    this.inputName = model.inputLayers[0].name;
    this.outputName = model.outputLayers[0].name;
  }

  node(name: string): GraphNode {
    const n = this.byName.get(name);
    if (!n) throw new Error(`No layer named "${name}"`);
    return n;
  }

  /** Layers whose output depends on `name` (excluding `name`), in topological order. */
  descendants(name: string): Set<string> {
    const cached = this.descendantCache.get(name);
    if (cached) return cached;
    this.node(name);
    const seen = new Set<string>();
    const stack = [...(this.consumers.get(name) ?? [])];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(this.consumers.get(n) ?? []));
    }
    const ordered = new Set(this.nodes.filter((n) => seen.has(n.name)).map((n) => n.name));
    this.descendantCache.set(name, ordered);
    return ordered;
  }

  /**
   * Tensors the part of the network after `name` needs besides `name`'s own output: outputs of
   * layers that are not descendants of `name` but feed one (e.g. a residual shortcut that bypasses
   * a layer inside a block).
   */
  sideInputs(name: string): string[] {
    const desc = this.descendants(name);
    const side = new Set<string>();
    for (const d of desc) {
      for (const i of this.node(d).inputs) if (i !== name && !desc.has(i)) side.add(i);
    }
    return [...side];
  }

  /** Why a map cannot be computed at `name`, or null when it can. */
  camProblem(name: string): string | null {
    const n = this.byName.get(name);
    if (!n) return `there is no layer named "${name}"`;
    if (n.shape.length !== 3) {
      return `layer "${name}" (${n.className}) has a ${n.shape.length + 1}-D output; a class activation map needs a 4-D (batch, height, width, channels) output`;
    }
    if (NOT_CAM_LAYERS.has(n.className)) {
      return `layer "${name}" is a ${n.className} layer; choose a convolution, activation, pooling or merge layer`;
    }
    if (!this.descendants(name).has(this.outputName)) {
      return `the network's output does not depend on layer "${name}"`;
    }
    return null;
  }

  /** Every layer at which a CAM can be computed, input to output. */
  camLayers(defaultLayer?: string): CamLayerInfo[] {
    return this.nodes
      .filter((n) => this.camProblem(n.name) === null)
      .map((n) => ({
        name: n.name,
        className: n.className,
        height: n.shape[0],
        width: n.shape[1],
        channels: n.shape[2],
        isDefault: n.name === defaultLayer,
      }));
  }
}
