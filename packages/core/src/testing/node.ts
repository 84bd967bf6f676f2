// Node-only helpers for tests and benchmarks (excluded from the isomorphic build).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../backend.js';

const require = createRequire(import.meta.url);

/** Repository root (three levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** `../shared` beside the repository. */
export const SHARED_DIR = process.env.GRADCAM_SHARED_DIR ?? resolve(REPO_ROOT, '..', 'shared');

export function wasmDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/';
}

/** Node uses the wasm backend (tfjs-node cannot be installed here). */
export async function useWasmBackend(): Promise<void> {
  await initBackend({ prefer: ['wasm'], wasmPaths: wasmDir() });
}

/**
 * Finds a folder holding a real Keras weights file: `GRADCAM_WEIGHTS_DIR`, then `../shared/weights`,
 * then the user cache. Returns the file path, or null with the reason in `why`.
 */
export function findRealWeights(fileName: string): { path: string | null; why: string } {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const candidates = [
    process.env.GRADCAM_WEIGHTS_DIR,
    join(SHARED_DIR, 'weights'),
    join(cache, 'gradcam-explorer', 'weights'),
  ].filter((d): d is string => !!d);
  for (const dir of candidates) {
    const p = join(dir, fileName);
    if (existsSync(p)) return { path: p, why: '' };
  }
  return { path: null, why: `no ${fileName} in ${candidates.join(', ')}` };
}
