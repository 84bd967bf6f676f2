import {
  Explainer,
  findClass,
  getModelSpec,
  type ModelExplainer,
  type PreprocessMode,
} from '@gradcam-explorer/core';
import { loadExplainer } from '../runtime.js';
import { UsageError, type Io } from '../io.js';
import type { Reporter } from '../reporter.js';
import { openUserModel } from '../user-model.js';

export interface ModelOptions {
  model: string;
  weights?: string;
  redownload?: boolean;
  json?: boolean;
}

/** Loads the network, turning a bad model id into a usage error. */
export async function openModel(opts: ModelOptions, reporter: Reporter): Promise<Explainer> {
  try {
    getModelSpec(opts.model);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (opts.weights !== undefined && opts.redownload) {
    throw new UsageError(
      '--redownload replaces the cached download; it cannot be used with --weights',
    );
  }
  return loadExplainer(opts.model, {
    weights: opts.weights,
    redownload: opts.redownload,
    reporter,
  });
}

/** `--model <id>` or `--model-file <path>` (with `--labels`, `--preprocess`): classify, explain. */
export interface AnyModelOptions extends Omit<ModelOptions, 'model'> {
  model?: string;
  modelFile?: string;
  labels?: string;
  preprocess?: PreprocessMode;
}

/** Loads a registered network or a user's model file; usage errors for a wrong combination. */
export async function openAnyModel(
  opts: AnyModelOptions,
  reporter: Reporter,
): Promise<ModelExplainer> {
  if (opts.modelFile === undefined) {
    if (opts.model === undefined) {
      throw new UsageError('give a network (--model <id>) or your own model (--model-file <path>)');
    }
    for (const [flag, v] of [
      ['--labels', opts.labels],
      ['--preprocess', opts.preprocess],
    ] as const) {
      if (v !== undefined) throw new UsageError(`${flag} applies to --model-file only`);
    }
    return openModel({ ...opts, model: opts.model }, reporter);
  }
  if (opts.model !== undefined) {
    throw new UsageError('--model and --model-file cannot be used together: choose one');
  }
  if (opts.weights !== undefined || opts.redownload) {
    throw new UsageError(
      '--weights and --redownload are for --model; a model file has its weights',
    );
  }
  return (await openUserModel({ ...opts, modelFile: opts.modelFile }, reporter)).explainer;
}

/**
 * A class given as an index or a label: ImageNet's for a registered network, the model's labels
 * (case-insensitive) for a model file.
 */
export function resolveClass(explainer: ModelExplainer, query: string): number {
  if (explainer instanceof Explainer) {
    try {
      return findClass(query).index;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const labels = explainer.profile.labels;
  const q = query.trim();
  if (/^\d+$/.test(q) && Number(q) < labels.length) return Number(q);
  const i = labels.findIndex((l) => l.toLowerCase() === q.toLowerCase());
  if (i >= 0) return i;
  throw new UsageError(
    `--class ${query}: not a class of this model; give an index 0-${labels.length - 1} or one of: ` +
      labels.map((l) => `"${l}"`).join(', '),
  );
}

/**
 * Runs `each` on every image, reporting failures without stopping; returns 1 when any failed.
 * Results (and `{image, error}` for failures) are printed as one JSON array with --json.
 */
export async function forEachImage<T>(
  images: string[],
  io: Io,
  reporter: Reporter,
  json: boolean | undefined,
  each: (image: string) => Promise<{ result: T; text: string }>,
): Promise<number> {
  const results: unknown[] = [];
  let failed = 0;
  if (images.length > 1) reporter.start('Images', images.length);
  for (const [i, image] of images.entries()) {
    try {
      const { result, text } = await each(image);
      results.push(result);
      if (!json) io.stdout.write(text);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      failed++;
      const message = e instanceof Error ? e.message : String(e);
      results.push({ image, error: message });
      reporter.stop();
      reporter.error(`${image}: ${message}`);
    }
    reporter.update(i + 1);
  }
  reporter.stop();
  if (json) io.stdout.write(JSON.stringify(results, null, 2) + '\n');
  return failed > 0 ? 1 : 0;
}
