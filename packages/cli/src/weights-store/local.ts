// Where official weights files are found without downloading: GRADCAM_WEIGHTS_DIR, then the user
// cache. Both are folders that must never hand out a file from outside themselves.
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { OfficialWeights } from '@gradcam-explorer/core';

/** Where a weights file came from: named by the user, found locally, or just downloaded. */
export type WeightsSource = 'file' | 'env-dir' | 'cache' | 'download';

export interface ResolvedWeights {
  path: string;
  source: WeightsSource;
}

export interface StoreOptions {
  /** Cache folder; default {@link cacheDir}. */
  cacheDir?: string;
  /** Environment to read (`GRADCAM_WEIGHTS_DIR`, `GRADCAM_WEIGHTS_BASE_URL`, `XDG_CACHE_HOME`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * `$XDG_CACHE_HOME/gradcam-explorer/weights`, or `~/.cache/gradcam-explorer/weights`. A relative
 * XDG_CACHE_HOME is ignored, as the XDG Base Directory specification requires.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'gradcam-explorer', 'weights');
}

/** Why GRADCAM_WEIGHTS_DIR is unusable (it names no folder), or null when it is fine or unset. */
export async function weightsDirProblem(env: NodeJS.ProcessEnv): Promise<string | null> {
  const dir = env.GRADCAM_WEIGHTS_DIR;
  if (!dir) return null;
  try {
    if ((await stat(dir)).isDirectory()) return null;
  } catch {
    // Missing or unreadable: reported below.
  }
  return (
    `GRADCAM_WEIGHTS_DIR is set to ${resolve(dir)}, which is not a folder. Point it at the ` +
    'folder that holds the .h5 weights files, or unset it to use the cache and downloads.'
  );
}

/**
 * `dir/fileName` when it is a regular file inside `dir` (a symlink may point elsewhere inside it):
 * a weights folder must never hand out files from outside it (e.g. a link to /etc/passwd).
 */
async function fileInside(dir: string, fileName: string): Promise<string | null> {
  try {
    const root = await realpath(dir);
    const real = await realpath(join(dir, fileName));
    const rel = relative(root, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
    return (await stat(real)).isFile() ? resolve(dir, fileName) : null;
  } catch {
    return null;
  }
}

/** The file in GRADCAM_WEIGHTS_DIR, else in the cache; null when neither has it. */
export async function findLocal(
  weights: OfficialWeights,
  opts: StoreOptions,
): Promise<ResolvedWeights | null> {
  const env = opts.env ?? process.env;
  if (env.GRADCAM_WEIGHTS_DIR) {
    const path = await fileInside(env.GRADCAM_WEIGHTS_DIR, weights.fileName);
    if (path) return { path, source: 'env-dir' };
  }
  const path = await fileInside(opts.cacheDir ?? cacheDir(env), weights.fileName);
  return path ? { path, source: 'cache' } : null;
}

/**
 * Which of the given official files are available without a download (in `GRADCAM_WEIGHTS_DIR` or
 * the cache), keyed by file name.
 */
export async function listCached(
  weightsList: readonly OfficialWeights[],
  opts: StoreOptions = {},
): Promise<Map<string, ResolvedWeights>> {
  const out = new Map<string, ResolvedWeights>();
  for (const w of weightsList) {
    const found = await findLocal(w, opts);
    if (found) out.set(w.fileName, found);
  }
  return out;
}
