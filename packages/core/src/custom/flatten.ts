// Flattens models nested inside models (Teachable Machine: Sequential > Sequential > Functional
// MobileNet) into one graph, so that every inner layer can be a Grad-CAM target. Inner layers are
// named by their path below the top model, e.g. `sequential_5/model2/Conv_1`.
import { UserModelError } from './errors.js';
import {
  declaredInputShape,
  toSnakeCase,
  type Json,
  type LayerSpec,
  type ModelSpecJson,
} from './keras-config.js';
import { isIdentityLayer } from './layers.js';

/** One layer of the flattened graph. */
export interface FlatLayer {
  /** Unique name: the path of containers below the top model, then the Keras name. */
  name: string;
  /** The layer's own Keras name. */
  kerasName: string;
  className: string;
  config: Json;
  /** Flat names of the layers feeding it (the graph input's name for the first). */
  inputs: string[];
  /** Top-level layer it belongs to (the weights group of a Keras `.h5`). */
  owner: string;
  /** Where a `.keras` zip keeps its variables: `layers/<class>_<n>/.../layers/<class>_<n>`. */
  kerasPath: string;
  /** Same path, by layer names (older Keras 3 files). */
  namePath: string;
  /** False when the layer or a model around it was frozen (Keras then saves its weights last). */
  trainable: boolean;
}

export interface FlatModel {
  /** Layers in config order, depth first (the order Keras saves weights in). */
  layers: FlatLayer[];
  /** The graph input: name and batch shape, e.g. [null, 224, 224, 3]. */
  input: { name: string; shape: (number | null)[] };
  /** Flat name of the layer whose output is the model's output. */
  output: string;
  /** Augmentation layers (identity at inference) left out of the graph. */
  identities: string[];
  /** Names of the nested models, with their paths. */
  nested: string[];
}

interface Scope {
  /** Display prefix ('' at the top, 'sequential_5/model2/' two levels down). */
  prefix: string;
  owner: string | null;
  kerasPath: string;
  namePath: string;
  trainable: boolean;
}

/** The flat graph of a (possibly nested) model config. */
export function flattenModel(model: ModelSpecJson): FlatModel {
  const out: FlatModel = {
    layers: [],
    input: { name: '', shape: [] },
    output: '',
    identities: [],
    nested: [],
  };
  const top: Scope = { prefix: '', owner: null, kerasPath: '', namePath: '', trainable: true };
  out.output = expand(model, top, null, out);
  if (!out.input.name) throw new UserModelError(`Model "${model.name}" declares no input`);
  return out;
}

/** Adds `model`'s layers; `input` is the flat tensor feeding it (null at the top). Returns its output. */
function expand(model: ModelSpecJson, scope: Scope, input: string | null, out: FlatModel): string {
  const snakeCount = new Map<string, number>();
  const childScope = (spec: LayerSpec): Scope => {
    const snake = toSnakeCase(spec.className);
    const n = snakeCount.get(snake);
    snakeCount.set(snake, n === undefined ? 0 : n + 1);
    const key = n === undefined ? snake : `${snake}_${n + 1}`;
    return {
      prefix: `${scope.prefix}${spec.name}/`,
      owner: scope.owner ?? spec.name,
      kerasPath: `${scope.kerasPath}layers/${key}/`,
      namePath: `${scope.namePath}layers/${spec.name}/`,
      trainable: scope.trainable && model.trainable && spec.config['trainable'] !== false,
    };
  };
  // Keras 3 counts class names over `model.layers`: Sequential leaves its InputLayer out.
  const counted = (spec: LayerSpec) =>
    model.kind === 'functional' || spec.className !== 'InputLayer';
  const scopes = new Map(model.layers.filter(counted).map((l) => [l, childScope(l)]));
  const scopeOf = (spec: LayerSpec) => scopes.get(spec) ?? childScope(spec);
  /** Flat tensor of each inner layer's output, by Keras name. */
  const tensors = new Map<string, string>();

  const add = (spec: LayerSpec, inputs: string[]): string => {
    const s = scopeOf(spec);
    if (spec.model) {
      if (inputs.length !== 1) throw multiInput(s.prefix.slice(0, -1), inputs.length);
      out.nested.push(s.prefix.slice(0, -1));
      return expand(spec.model, s, inputs[0]!, out);
    }
    const flatName = safeName(`${scope.prefix}${spec.name}`);
    if (isIdentityLayer(spec.className)) {
      out.identities.push(`${flatName} (${spec.className})`);
      return inputs[0]!;
    }
    out.layers.push({
      name: flatName,
      kerasName: spec.name,
      className: spec.className,
      config: spec.config,
      inputs,
      owner: s.owner!,
      kerasPath: s.kerasPath.slice(0, -1),
      namePath: s.namePath.slice(0, -1),
      trainable: s.trainable,
    });
    return flatName;
  };

  /** The model's input tensor: the outer tensor, or the graph input at the top. */
  const source = (spec: LayerSpec | undefined, firstLayer?: LayerSpec): string => {
    if (input !== null) return input;
    const shapeFrom = spec ?? firstLayer;
    const shape = shapeFrom ? (declaredInputShape(shapeFrom) ?? nestedShape(shapeFrom)) : undefined;
    if (!shape) {
      throw new UserModelError(
        `Model "${model.name}" does not record its input shape (no InputLayer and no input_shape ` +
          'on its first layer): build it with an Input of fixed size and save it again',
      );
    }
    out.input = { name: safeName(spec ? spec.name : `${model.name}_input`), shape };
    return out.input.name;
  };

  if (model.kind === 'sequential') {
    const first = model.layers[0];
    const inputLayer = first?.className === 'InputLayer' ? first : undefined;
    let prev = source(inputLayer, inputLayer ? undefined : first);
    for (const spec of model.layers) {
      if (spec === inputLayer) continue;
      prev = add(spec, [prev]);
    }
    return prev;
  }

  // Functional: resolve each layer once all layers it takes are resolved (config order is
  // usually topological already).
  if (model.inputs.length !== 1) throw multiInput(scope.prefix + model.name, model.inputs.length);
  if (model.outputs.length !== 1) {
    throw new UserModelError(
      `Model "${model.name}" has ${model.outputs.length} outputs; a classifier with one output is needed`,
    );
  }
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const inputSpec = byName.get(model.inputs[0]!);
  tensors.set(model.inputs[0]!, source(inputSpec));
  let pending = model.layers.filter((l) => !tensors.has(l.name) && l.className !== 'InputLayer');
  while (pending.length > 0) {
    const next: LayerSpec[] = [];
    for (const spec of pending) {
      if (spec.inbound.length > 1) {
        throw new UserModelError(
          `Layer "${scope.prefix}${spec.name}" (class ${spec.className}) is applied ${spec.inbound.length} times ` +
            '(a shared layer); models that reuse a layer are not supported',
        );
      }
      const refs = spec.inbound[0] ?? [];
      if (refs.length === 0) continue; // Not connected to the model's input: unused.
      if (refs.every((r) => tensors.has(r))) {
        tensors.set(
          spec.name,
          add(
            spec,
            refs.map((r) => tensors.get(r)!),
          ),
        );
      } else next.push(spec);
    }
    if (next.length === pending.length) {
      const missing = next[0]!.inbound[0]!.find((r) => !tensors.has(r) && !byName.has(r));
      throw new UserModelError(
        missing
          ? `Layer "${scope.prefix}${next[0]!.name}" takes the output of "${missing}", which the model does not contain`
          : `Model "${model.name}" has a cycle or an input it does not declare`,
      );
    }
    pending = next;
  }
  const output = tensors.get(model.outputs[0]!);
  if (!output) throw new UserModelError(`Model "${model.name}": its output layer is not connected`);
  return output;
}

/** A name TensorFlow.js accepts for a layer's variables (its tensor-name rule). */
function safeName(name: string): string {
  const s = name.replace(/[^-A-Za-z0-9._/]/g, '_');
  return /^[A-Za-z0-9]/.test(s) ? s : `L${s}`;
}

/** Input shape of a nested model used as the first layer of a Sequential. */
function nestedShape(spec: LayerSpec): (number | null)[] | undefined {
  const inner = spec.model?.layers[0];
  return inner ? (declaredInputShape(inner) ?? nestedShape(inner)) : undefined;
}

function multiInput(name: string, n: number): UserModelError {
  return new UserModelError(
    `Model "${name}" takes ${n} inputs; an image classifier with one image input is needed`,
  );
}
