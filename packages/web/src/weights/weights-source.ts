// Which weights the page loads, and the words for where they came from (pure, unit-tested).
import { BAD_FILE_ERRORS, type CachedWeights, type LoadedModel } from '../worker/protocol';

/**
 * The stored copy to use for `modelId`. While the server has the file (`serverVersion`), only the
 * copy parsed from that very version of it: a user's file is never taken for the server's,
 * whatever its name and size. Without one: the server's last copy, else the user's own file.
 */
export function pickStored(
  stored: readonly CachedWeights[],
  modelId: string,
  serverVersion: string | null,
): CachedWeights | null {
  const mine = stored.filter((s) => s.modelId === modelId);
  const server = mine.find((s) => s.origin.kind === 'server');
  if (serverVersion !== null) {
    return server?.origin.kind === 'server' && server.origin.version === serverVersion
      ? server
      : null;
  }
  return server ?? mine.find((s) => s.origin.kind === 'user') ?? null;
}

/** The first 12 hex digits, enough to tell files apart. */
export const shortHash = (sha256: string): string => `${sha256.slice(0, 12)}…`;

/** The line under "ready" saying whose weights these are. */
export function originText(loaded: Pick<LoadedModel, 'origin' | 'sha256'>): string {
  return loaded.origin.kind === 'server'
    ? "Weights: official file from this computer's server"
    : `Weights: your file ${loaded.origin.fileName} (sha256 ${shortHash(loaded.sha256)})`;
}

/** A .h5 file that cannot be read, or does not fit the network (the worker's error names). */
export const isBadFile = (e: unknown): e is Error =>
  e instanceof Error && BAD_FILE_ERRORS.includes(e.name);

/** The server's file failed to load: where it is decides what can fix it. */
export function damagedMessage(
  networkName: string,
  reason: string,
  source: 'env-dir' | 'cache' | undefined,
): string {
  const why = reason.replace(/\.$/, '');
  return source === 'env-dir'
    ? `The ${networkName} weights file in this computer's weights folder (GRADCAM_WEIGHTS_DIR) ` +
        `is damaged: ${why}. Replace it there, or load a weights file.`
    : `The cached ${networkName} weights on this computer are damaged: ${why}.`;
}

/** The server cannot reach the internet to download `fileName`. */
export function offlineMessage(networkName: string, fileName: string, again: boolean): string {
  return again
    ? `This computer cannot reach the internet, so the ${networkName} weights cannot be ` +
        `downloaded again. Load the weights file (${fileName}) from disk instead.`
    : `This computer cannot reach the internet, and the ${networkName} weights are not ` +
        `on it yet. Load the weights file (${fileName}) from disk instead.`;
}
