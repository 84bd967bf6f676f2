// `--model-file`: a user's own Keras (.h5, .keras) or TensorFlow.js (model.json + shards) model,
// read from disk and handed to core's loadUserModel as named bytes.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  loadUserModel,
  parseLabels,
  PREPROCESS_MODES,
  sniff,
  type ModelExplainer,
  type PreprocessMode,
  type UserModelFile,
  type UserModelInfo,
} from '@gradcam-explorer/core';
import { UsageError } from './io.js';
import type { Reporter } from './reporter.js';
import { initNodeBackend, threadCount } from './runtime.js';

export interface UserModelOptions {
  modelFile: string;
  labels?: string;
  preprocess?: PreprocessMode;
}

async function readNamed(path: string, what: string): Promise<UserModelFile> {
  try {
    return { name: path, bytes: new Uint8Array(await readFile(path)) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message}`,
    );
  }
}

/** The model file (a folder means its model.json) and, for a model.json, the shards it names. */
async function modelFiles(path: string): Promise<UserModelFile[]> {
  let file = path;
  if ((await stat(path).catch(() => null))?.isDirectory()) file = join(path, 'model.json');
  const main = await readNamed(file, '--model-file');
  if (sniff(main.bytes) !== 'json') return [main];
  let manifest: unknown;
  try {
    manifest = (JSON.parse(new TextDecoder().decode(main.bytes)) as { weightsManifest?: unknown })
      .weightsManifest;
  } catch {
    return [main]; // core says what is wrong with it
  }
  const shards = Array.isArray(manifest)
    ? manifest.flatMap((g: { paths?: unknown }) =>
        Array.isArray(g.paths) ? g.paths.map(String) : [],
      )
    : [];
  const found: UserModelFile[] = [main];
  for (const shard of shards) {
    // Only files beside model.json, by base name; a missing one is reported by core.
    const p = join(dirname(file), basename(shard));
    const bytes = await readFile(p).catch(() => null);
    if (bytes) found.push({ name: p, bytes: new Uint8Array(bytes) });
  }
  return found;
}

/** One paragraph on stderr: what was understood from the file. */
function describe(info: UserModelInfo, reporter: Reporter): void {
  const { input, output, classes, preprocessing: pre } = info;
  const mode = PREPROCESS_MODES.find((m) => m.id === pre.mode)!;
  const shown = classes.length > 6 ? `${classes.slice(0, 5).join(', ')}, ...` : classes.join(', ');
  reporter.info(
    `Loaded ${info.fileName} in ${(info.loadMs / 1000).toFixed(2)} s: ${info.formatLabel}, ` +
      `input ${input.height}x${input.width}x${input.channels}, ${classes.length} classes (${shown})` +
      (info.labelsFrom ? '' : ' (no labels given: --labels <file>)'),
  );
  const out = output.binary
    ? `one ${output.activation === 'sigmoid' ? 'sigmoid unit p' : 'raw score'}: "${classes[1]}" (class 1) ` +
      `is p, "${classes[0]}" (class 0) its opposite, 1 - p`
    : output.description;
  reporter.info(`  output: ${out}`);
  if (info.nested.length > 0) reporter.info(`  nested models flattened: ${info.nested.join(', ')}`);
  if (input.channels === 1) {
    reporter.info(
      '  grayscale model: colour photos are converted to gray (as Pillow convert("L"))',
    );
  }
  reporter.info(
    `  preprocessing: ${mode.id} (${mode.label}, ${mode.formula}): ${pre.reason}` +
      (pre.known ? '' : ' Choose with --preprocess unit|tf|caffe|raw.'),
  );
  reporter.info(`  default layer: ${info.defaultLayer}`);
  for (const w of info.warnings) {
    reporter.warn(w.suggestion ? `${w.message} (--layer ${w.suggestion})` : w.message);
  }
}

/** Loads `--model-file`, reports what was understood, and returns the ready explainer. */
export async function openUserModel(
  opts: UserModelOptions,
  reporter: Reporter,
): Promise<{ explainer: ModelExplainer; info: UserModelInfo }> {
  const files = await modelFiles(opts.modelFile);
  let labels: string[] | undefined;
  if (opts.labels !== undefined) {
    const f = await readNamed(opts.labels, '--labels');
    labels = parseLabels(new TextDecoder().decode(f.bytes), opts.labels);
  }
  await initNodeBackend(threadCount(), reporter);
  const { explainer, info } = await loadUserModel(files, {
    ...(labels && { labels }),
    ...(opts.preprocess && { preprocessing: opts.preprocess }),
  });
  describe(info, reporter);
  return { explainer, info };
}
