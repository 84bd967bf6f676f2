// Reads a Keras model config, as any of the three formats store it, into one form:
// - Keras 2 (`model.to_json()`, the `model_config` attribute of `model.save('m.h5')`, and the
//   `modelTopology` of TensorFlow.js layers models): `inbound_nodes` as [[name, node, tensor, kwargs]];
// - Keras 3 (`config.json` of a `.keras` zip, `model_config` of an `.h5` saved by Keras 3):
//   `inbound_nodes` as [{args: [KerasTensor...], kwargs}], `batch_shape`, dtype policy objects,
//   `module` / `registered_name` / `build_config` beside each layer.
import { UserModelError } from './errors.js';

export type Json = Record<string, unknown>;

/** One layer as the config describes it. */
export interface LayerSpec {
  className: string;
  name: string;
  /** The layer's own config (snake_case keys, as saved). */
  config: Json;
  /** Per call of the layer (inbound node): the names of the layers whose outputs it takes. */
  inbound: string[][];
  /** Input shape recorded beside the layer (Keras 3 `build_config`), batch axis first. */
  buildShape?: (number | null)[];
  /** Set for Sequential / Functional models nested as layers. */
  model?: ModelSpecJson;
}

/** A Sequential or Functional model. */
export interface ModelSpecJson {
  kind: 'sequential' | 'functional';
  /** Keras class name (Sequential, Functional, Model). */
  className: string;
  name: string;
  trainable: boolean;
  layers: LayerSpec[];
  /** Functional only: names of the input and output layers. */
  inputs: string[];
  outputs: string[];
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The model described by a parsed config (the top object of `config.json` / `model_config`). */
export function readModelConfig(raw: unknown, where: string): ModelSpecJson {
  const top = isObject(raw) && isObject(raw['model_config']) ? raw['model_config'] : raw;
  if (!isObject(top) || typeof top['class_name'] !== 'string') {
    throw new UserModelError(`${where} is not a Keras model config (no "class_name")`);
  }
  const className = top['class_name'];
  if (!MODEL_CLASSES.has(className) || !isObject(top['config'])) {
    throw new UserModelError(
      `${where} describes a ${className}, not a Sequential or Functional model. A model of a ` +
        'subclass of keras.Model stores no layer graph: rebuild it with the Sequential or ' +
        'Functional API and save it again.',
    );
  }
  return readModel(top, where);
}

function readModel(raw: Json, where: string): ModelSpecJson {
  const config = raw['config'] as Json;
  const className = String(raw['class_name']);
  const layersRaw = config['layers'];
  if (!Array.isArray(layersRaw)) {
    throw new UserModelError(`${where}: model "${String(config['name'])}" lists no layers`);
  }
  const layers = layersRaw.map((l, i) => readLayer(l, `${where}, layer ${i}`));
  return {
    kind: className === 'Sequential' ? 'sequential' : 'functional',
    className,
    name: String(config['name'] ?? raw['name'] ?? 'model'),
    trainable: config['trainable'] !== false,
    layers,
    inputs: refNames(config['input_layers']),
    outputs: refNames(config['output_layers']),
  };
}

function readLayer(raw: unknown, where: string): LayerSpec {
  if (!isObject(raw) || typeof raw['class_name'] !== 'string' || !isObject(raw['config'])) {
    throw new UserModelError(`${where} is not a Keras layer config`);
  }
  const config = raw['config'];
  const name = String(config['name'] ?? raw['name'] ?? '');
  if (!name) throw new UserModelError(`${where} (${raw['class_name']}) has no name`);
  const spec: LayerSpec = {
    className: raw['class_name'],
    name,
    config,
    inbound: readInbound(raw['inbound_nodes']),
  };
  const build = raw['build_config'];
  if (isObject(build) && Array.isArray(build['input_shape'])) {
    spec.buildShape = build['input_shape'] as (number | null)[];
  }
  if (MODEL_CLASSES.has(spec.className) && Array.isArray(config['layers'])) {
    spec.model = readModel(raw, where);
  }
  return spec;
}

/** `input_layers` / `output_layers`: [[name, 0, 0], ...], or one [name, 0, 0] (Keras 3). */
function refNames(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) return [];
  if (typeof v[0] === 'string') return [v[0]];
  return v.filter(Array.isArray).map((r) => String(r[0]));
}

function readInbound(v: unknown): string[][] {
  if (!Array.isArray(v)) return [];
  return v.map((node) => {
    if (Array.isArray(node)) {
      // Keras 2 / TensorFlow.js: [[name, node_index, tensor_index, kwargs], ...]
      return node.filter(Array.isArray).map((ref) => String(ref[0]));
    }
    // Keras 3: {args: [...], kwargs: {...}}; tensors are {class_name: "__keras_tensor__", ...}.
    const found: string[] = [];
    collectTensors(isObject(node) ? node['args'] : undefined, found);
    return found;
  });
}

function collectTensors(v: unknown, out: string[]): void {
  if (Array.isArray(v)) {
    for (const x of v) collectTensors(x, out);
  } else if (isObject(v)) {
    const history = isObject(v['config']) ? v['config']['keras_history'] : undefined;
    if (v['class_name'] === '__keras_tensor__' && Array.isArray(history)) {
      out.push(String(history[0]));
    }
  }
}

/** Batch input shape of an InputLayer or a first layer (Keras 2 / 3 keys), or undefined. */
export function declaredInputShape(spec: LayerSpec): (number | null)[] | undefined {
  const c = spec.config;
  for (const key of ['batch_input_shape', 'batch_shape']) {
    if (Array.isArray(c[key])) return c[key] as (number | null)[];
  }
  for (const key of ['input_shape', 'shape']) {
    if (Array.isArray(c[key])) return [null, ...(c[key] as (number | null)[])];
  }
  return spec.className === 'InputLayer' ? undefined : spec.buildShape;
}

/** Keras' `naming.to_snake_case` (the `.keras` weights paths name layers by class, e.g. conv2d_1). */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
