import { Explainer, getModelSpec } from '@gradcam-explorer/core';
import { loadExplainer } from '../runtime.js';
import { UsageError, type Io } from '../io.js';
import type { Reporter } from '../reporter.js';

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
