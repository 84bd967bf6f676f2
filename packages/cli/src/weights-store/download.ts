// Downloads an official weights file into the user cache: streamed to a temporary file while
// hashed, checked (hash, then the file's layout), and only then renamed into place.
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { checkWeightsFile, MODELS, type OfficialWeights } from '@gradcam-explorer/core';
import { errText } from '../format.js';
import { WeightsError, type WeightsErrorCode } from './errors.js';
import { cacheDir, type StoreOptions } from './local.js';

export interface DownloadProgress {
  receivedBytes: number;
  /** Content-Length, else the published size; equals `receivedBytes` in the last event. */
  totalBytes: number;
  /** Over the last few seconds; 0 until two samples exist. */
  bytesPerSecond: number;
  /** null while the rate is unknown. */
  etaSeconds: number | null;
}

export interface DownloadOptions extends StoreOptions {
  /** Called for each received chunk, then once at the end. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Non-fatal problems, e.g. no published hash to verify against. */
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
  /** Replaces the folder of the official URL (mirrors, tests); else `GRADCAM_WEIGHTS_BASE_URL`. */
  baseUrl?: string;
  /** fetch implementation (tests); default the global fetch. */
  fetch?: typeof globalThis.fetch;
  /**
   * Checks the complete download before it is moved into the cache (throw to refuse it). Default:
   * for a registered network's file, it must parse as that network's weights, every value finite.
   */
  validate?: (path: string) => Promise<void>;
}

/** Temporary downloads untouched for this long are left over from a killed process. */
const STALE_PART_MS = 24 * 3600 * 1000;
/** Window for the transfer rate. */
const RATE_WINDOW_MS = 3000;

/** The official URL, or its file name under `baseUrl` / `GRADCAM_WEIGHTS_BASE_URL` when set. */
export function downloadUrl(
  weights: OfficialWeights,
  opts: Pick<DownloadOptions, 'baseUrl' | 'env'> = {},
): string {
  const base = opts.baseUrl ?? (opts.env ?? process.env).GRADCAM_WEIGHTS_BASE_URL;
  if (!base) return weights.url;
  const name = new URL(weights.url).pathname.split('/').pop() || weights.fileName;
  return new URL(name, base.endsWith('/') ? base : `${base}/`).href;
}

function remedy(fileName: string): string {
  return (
    `Instead, put ${fileName} in a folder and point GRADCAM_WEIGHTS_DIR at it, ` +
    `or pass --weights <file>.`
  );
}

/**
 * Downloads the weights into the cache: streamed to `<fileName>.<random>.part` beside the final
 * file while hashing, renamed (atomically) to `<fileName>` only once complete and verified.
 * On any failure the temporary file is removed and a {@link WeightsError} is thrown.
 * Returns the final path.
 */
export async function downloadWeights(
  weights: OfficialWeights,
  opts: DownloadOptions = {},
): Promise<string> {
  const { fileName } = weights;
  const url = downloadUrl(weights, opts);
  const dir = opts.cacheDir ?? cacheDir(opts.env ?? process.env);
  const finalPath = join(dir, fileName);
  const fail = (code: WeightsErrorCode, what: string, cause?: unknown) =>
    new WeightsError(
      code,
      fileName,
      `Could not download ${fileName} from ${url}: ${what}. ${remedy(fileName)}`,
      url,
      { cause },
    );

  if (opts.signal?.aborted) throw fail('aborted', 'cancelled', opts.signal.reason);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw fail('io', `cannot create the cache folder ${dir} (${errText(e)})`, e);
  }
  await removeStaleParts(dir, fileName);
  if (!weights.hash) {
    opts.onWarning?.(
      `Keras publishes no hash for ${fileName}: the download from ${url} cannot be verified.`,
    );
  }

  const tmpPath = join(dir, `${fileName}.${randomBytes(6).toString('hex')}.part`);
  let fh: FileHandle | undefined;
  try {
    let res: Response;
    try {
      res = await (opts.fetch ?? globalThis.fetch)(url, {
        signal: opts.signal,
        // Raw bytes, so that Content-Length is the file size.
        headers: { 'accept-encoding': 'identity' },
      });
    } catch (e) {
      throw connectError(e);
    }
    if (!res.ok || !res.body) {
      throw fail('http', `the server answered HTTP ${res.status} ${res.statusText}`.trim());
    }
    const lengthHeader = res.headers.get('content-length');
    const contentLength = lengthHeader !== null ? Number(lengthHeader) : NaN;
    const hasLength = Number.isSafeInteger(contentLength) && contentLength >= 0;

    const hash = createHash(weights.hash?.algorithm ?? 'sha256');
    const progress = progressMeter(hasLength ? contentLength : weights.bytes, opts.onProgress);
    try {
      fh = await open(tmpPath, 'wx');
    } catch (e) {
      throw fail('io', `cannot write ${tmpPath} (${errText(e)})`, e);
    }
    progress.update(0);
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        await fh.write(chunk);
        progress.update(chunk.byteLength);
      }
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      if (isFsError(e)) throw fail('io', `cannot write ${tmpPath} (${errText(e)})`, e);
      throw fail(
        'interrupted',
        `the transfer was interrupted after ${progress.received} bytes (${causeText(e)})`,
        e,
      );
    }
    if (hasLength && progress.received !== contentLength) {
      throw fail(
        'interrupted',
        `the transfer ended after ${progress.received} of ${contentLength} bytes`,
      );
    }
    await fh.sync();
    await fh.close();
    fh = undefined;

    const actual = hash.digest('hex');
    if (weights.hash && actual !== weights.hash.value.toLowerCase()) {
      throw fail(
        'hash-mismatch',
        `the ${weights.hash.algorithm} hash of the ${progress.received} bytes received is ` +
          `${actual}, expected ${weights.hash.value.toLowerCase()} (corrupted or wrong file)`,
      );
    }
    opts.signal?.throwIfAborted();
    try {
      await (opts.validate ?? defaultValidate(weights))?.(tmpPath);
    } catch (e) {
      throw fail(
        'invalid',
        `the file received is not usable (${errText(e)}); nothing was saved`,
        e,
      );
    }
    opts.signal?.throwIfAborted();
    await rename(tmpPath, finalPath);
    progress.finish();
    return finalPath;
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(tmpPath, { force: true }).catch(() => undefined);
    if (opts.signal?.aborted) throw fail('aborted', 'cancelled', opts.signal.reason);
    if (e instanceof WeightsError) throw e;
    throw fail('io', errText(e), e);
  }

  function connectError(e: unknown): WeightsError {
    if (opts.signal?.aborted) return fail('aborted', 'cancelled', opts.signal.reason);
    const code = errorCode(e);
    const host = new URL(url).host;
    if (code && OFFLINE_CODES.has(code)) {
      return fail(
        'offline',
        `cannot reach ${host} (${code}); this machine appears to be offline, or the server is unreachable`,
        e,
      );
    }
    return fail('network', causeText(e), e);
  }
}

/** For a registered network's file: parse it as that network's weights (see checkWeightsFile). */
function defaultValidate(weights: OfficialWeights): ((path: string) => Promise<void>) | undefined {
  const spec = MODELS.find((m) => m.weights.fileName === weights.fileName);
  if (!spec) return undefined;
  return async (path) => {
    const bytes = await readFile(path);
    await checkWeightsFile(
      spec,
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      weights.fileName,
    );
  };
}

/** Connection-level failures (DNS, routing, refused, connect timeout): the machine looks offline. */
const OFFLINE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** fetch rejects with TypeError('fetch failed') whose cause (or an AggregateError in it) has the code. */
function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const c = cur as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof c.code === 'string') return c.code;
    const inner = c.errors?.find((x) => typeof (x as { code?: unknown }).code === 'string');
    if (inner) return (inner as { code: string }).code;
    cur = c.cause;
  }
  return undefined;
}

function causeText(e: unknown): string {
  const cause = (e as { cause?: unknown }).cause;
  return cause ? `${errText(e)}: ${errText(cause)}` : errText(e);
}

function isFsError(e: unknown): boolean {
  return typeof (e as { syscall?: unknown }).syscall === 'string';
}

function progressMeter(total: number, onProgress?: (p: DownloadProgress) => void) {
  const samples: [number, number][] = [];
  let rate = 0;
  const emit = (totalBytes: number) =>
    onProgress?.({
      receivedBytes: meter.received,
      totalBytes,
      bytesPerSecond: rate,
      etaSeconds: rate > 0 ? (totalBytes - meter.received) / rate : null,
    });
  const meter = {
    received: 0,
    update(bytes: number) {
      meter.received += bytes;
      const now = performance.now();
      samples.push([now, meter.received]);
      while (samples.length > 2 && now - samples[1][0] >= RATE_WINDOW_MS) samples.shift();
      const [t0, r0] = samples[0];
      if (now > t0) rate = ((meter.received - r0) * 1000) / (now - t0);
      emit(Math.max(total, meter.received));
    },
    /** Last event: the total is what was received. */
    finish: () => emit(meter.received),
  };
  return meter;
}

/** Removes `<fileName>.<hex>.part` files that nobody has written to for a day (killed downloads). */
async function removeStaleParts(dir: string, fileName: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (
      !name.startsWith(`${fileName}.`) ||
      !/^\.[0-9a-f]+\.part$/.test(name.slice(fileName.length))
    ) {
      continue;
    }
    const path = join(dir, name);
    try {
      if (now - (await stat(path)).mtimeMs > STALE_PART_MS) await rm(path, { force: true });
    } catch {
      // Another process may have just renamed or removed it.
    }
  }
}
