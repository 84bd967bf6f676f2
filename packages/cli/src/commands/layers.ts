import { LayerGraph, buildModel, getModelSpec, type CamLayerInfo } from '@gradcam-explorer/core';
import { initNodeBackend, threadCount } from '../runtime.js';
import { UsageError, type Io } from '../io.js';
import { Reporter } from '../reporter.js';
import { openUserModel } from '../user-model.js';

/** The layers of `--model` (architecture only: no weights needed) or of `--model-file`. */
async function camLayersOf(
  opts: { model?: string; modelFile?: string },
  io: Io,
): Promise<{ layers: CamLayerInfo[]; dispose: () => void }> {
  if (opts.modelFile !== undefined) {
    if (opts.model !== undefined) {
      throw new UsageError('--model and --model-file cannot be used together: choose one');
    }
    const { explainer } = await openUserModel(
      { modelFile: opts.modelFile },
      new Reporter(io.stderr),
    );
    return { layers: explainer.camLayers(), dispose: () => explainer.dispose() };
  }
  if (opts.model === undefined) {
    throw new UsageError('give a network (--model <id>) or your own model (--model-file <path>)');
  }
  let spec;
  try {
    spec = getModelSpec(opts.model);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  await initNodeBackend(threadCount(), new Reporter(io.stderr));
  const model = buildModel(spec);
  return {
    layers: new LayerGraph(model).camLayers(spec.defaultLayer),
    dispose: () => model.dispose(),
  };
}

/** Lists the layers at which a CAM can be computed, input to output. */
export async function layersCommand(
  opts: { model?: string; modelFile?: string; json?: boolean },
  io: Io,
): Promise<number> {
  const { layers, dispose } = await camLayersOf(opts, io);
  try {
    if (opts.json) {
      io.stdout.write(JSON.stringify(layers, null, 2) + '\n');
      return 0;
    }
    for (const l of layers) {
      const res = `${l.height}x${l.width}x${l.channels}`;
      io.stdout.write(
        `${l.name.padEnd(32)} ${l.className.padEnd(22)} ${res}${l.isDefault ? '  (default)' : ''}\n`,
      );
    }
    return 0;
  } finally {
    dispose();
  }
}
