// Finds official Keras weights files on disk, or downloads them into the user cache with hash
// verification. Used by the CLI and by the web app's local server.
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  type FileHandle,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { checkWeightsFile, MODELS } from '@gradcam-explorer/core';

// TODO(lead): import OfficialWeights from '@gradcam-explorer/core' once packages/core/src/index.ts
// exports it; this is structurally identical to packages/core/src/models/types.ts.
/** An official Keras ImageNet weights file, as named and published in Keras' source. */
export interface OfficialWeights {
  fileName: string;
  url: string;
  hash: { algorithm: 'md5' | 'sha256'; value: string } | null;
  bytes: number;
}

/** Where {@link resolveWeights} found the file. */
export type WeightsSource = 'file' | 'env-dir' | 'cache' | 'download';

export interface ResolvedWeights {
  path: string;
  source: WeightsSource;
}

export interface DownloadProgress {
  receivedBytes: number;
  /** Content-Length, else the published size; equals `receivedBytes` in the last event. */
  totalBytes: number;
  /** Over the last few seconds; 0 until two samples exist. */
  bytesPerSecond: number;
  /** null while the rate is unknown. */
  etaSeconds: number | null;
}

export interface StoreOptions {
  /** Cache folder; default {@link cacheDir}. */
  cacheDir?: string;
  /** Environment to read (`GRADCAM_WEIGHTS_DIR`, `GRADCAM_WEIGHTS_BASE_URL`, `XDG_CACHE_HOME`). */
  env?: NodeJS.ProcessEnv;
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

export interface ResolveOptions extends DownloadOptions {
  /** A weights file named by the user: used as is, no hash check. */
  file?: string;
  /** Download into the cache when no local file is found. */
  download?: boolean;
  /** Download again into the cache even when a cached copy exists (it is replaced when complete). */
  redownload?: boolean;
}

export type WeightsErrorCode =
  | 'not-found'
  | 'http'
  | 'offline'
  | 'network'
  | 'interrupted'
  | 'hash-mismatch'
  | 'invalid'
  | 'aborted'
  | 'io';

export class WeightsError extends Error {
  override readonly name = 'WeightsError';
  constructor(
    readonly code: WeightsErrorCode,
    readonly fileName: string,
    message: string,
    readonly url?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Temporary downloads untouched for this long are left over from a killed process. */
const STALE_PART_MS = 24 * 3600 * 1000;
/** Window for the transfer rate. */
const RATE_WINDOW_MS = 3000;

/**
 * `$XDG_CACHE_HOME/gradcam-explorer/weights`, or `~/.cache/gradcam-explorer/weights`. A relative
 * XDG_CACHE_HOME is ignored, as the XDG Base Directory specification requires.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'gradcam-explorer', 'weights');
}

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

/** A GRADCAM_WEIGHTS_DIR that names no folder is a mistake to report, not to skip silently. */
async function checkEnvDir(env: NodeJS.ProcessEnv): Promise<void> {
  const problem = await weightsDirProblem(env);
  if (problem) throw new WeightsError('not-found', '', problem);
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

async function findLocal(
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

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
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
