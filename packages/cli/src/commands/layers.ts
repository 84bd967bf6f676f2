import { LayerGraph, buildModel, getModelSpec } from '@gradcam-explorer/core';
import { initNodeBackend, threadCount } from '../runtime.js';
import { UsageError, type Io } from '../io.js';
import { Reporter } from '../reporter.js';

/** Lists the layers at which a CAM can be computed (architecture only: no weights needed). */
export async function layersCommand(
  opts: { model: string; json?: boolean },
  io: Io,
): Promise<number> {
  let spec;
  try {
    spec = getModelSpec(opts.model);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  await initNodeBackend(threadCount(), new Reporter(io.stderr));
  const model = buildModel(spec);
  try {
    const layers = new LayerGraph(model).camLayers(spec.defaultLayer);
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
    model.dispose();
  }
}
