// Which weights file a command uses: the one named by the user, a local one, or a download.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OfficialWeights } from '@gradcam-explorer/core';
import { formatMB } from '../format.js';
import { downloadUrl, downloadWeights, type DownloadOptions } from './download.js';
import { WeightsError } from './errors.js';
import { cacheDir, findLocal, weightsDirProblem, type ResolvedWeights } from './local.js';

export interface ResolveOptions extends DownloadOptions {
  /** A weights file named by the user: used as is, no hash check. */
  file?: string;
  /** Download into the cache when no local file is found. */
  download?: boolean;
  /** Download again into the cache even when a cached copy exists (it is replaced when complete). */
  redownload?: boolean;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the weights file: an explicit `file` (trusted, not hashed), else
 * `GRADCAM_WEIGHTS_DIR/<fileName>` (trusted, not hashed), else the cache, else (with `download`)
 * downloads it into the cache. Throws {@link WeightsError}.
 */
export async function resolveWeights(
  weights: OfficialWeights,
  opts: ResolveOptions = {},
): Promise<ResolvedWeights> {
  const env = opts.env ?? process.env;
  if (opts.file !== undefined) {
    const path = resolve(opts.file);
    if (!(await isFile(path))) {
      throw new WeightsError('not-found', weights.fileName, `Weights file not found: ${path}`);
    }
    return { path, source: 'file' };
  }
  await checkEnvDir(env);
  const found = opts.redownload ? null : await findLocal(weights, opts);
  if (found) return found;
  if (opts.download || opts.redownload) {
    return { path: await downloadWeights(weights, opts), source: 'download' };
  }
  const envDir = env.GRADCAM_WEIGHTS_DIR;
  const cache = opts.cacheDir ?? cacheDir(env);
  const places = envDir ? `${resolve(envDir)} (GRADCAM_WEIGHTS_DIR) nor in ${cache}` : cache;
  throw new WeightsError(
    'not-found',
    weights.fileName,
    `${weights.fileName} is not in ${places}, and downloading is off. Allow the download ` +
      `(${formatMB(weights.bytes)} from ${downloadUrl(weights, opts)}), put the file in the ` +
      `folder named by GRADCAM_WEIGHTS_DIR, or pass --weights <file>.`,
  );
}

/** A GRADCAM_WEIGHTS_DIR that names no folder is a mistake to report, not to skip silently. */
async function checkEnvDir(env: NodeJS.ProcessEnv): Promise<void> {
  const problem = await weightsDirProblem(env);
  if (problem) throw new WeightsError('not-found', '', problem);
}
