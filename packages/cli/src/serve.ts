// `gradcam-explorer serve`: serves the built web app on loopback, with the small weights API the
// app uses (list, stream from the local store, download into the cache with progress as SSE).
import { spawn } from 'node:child_process';
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { MODELS } from '@gradcam-explorer/core';
import type { Io } from './index.js';
import {
  downloadWeights,
  listCached,
  weightsDirProblem,
  WeightsError,
  type DownloadProgress,
  type OfficialWeights,
  type StoreOptions,
  type WeightsErrorCode,
} from './weights-store.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Sent on every response. COOP + COEP make the page cross-origin isolated (wasm threads). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
});

/** Content types of what a Vite build emits (plus sample images); anything else is octet-stream. */
export const MIME_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
});

/** Hashed Vite output under `assets/` never changes under the same name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const PROGRESS_INTERVAL_MS = 100;
/** SSE comment interval, so that idle proxies and browsers keep the stream open. */
const HEARTBEAT_MS = 15_000;

/** `packages/web/dist` beside this package (same from `src/` and `dist/`). */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../web/dist', import.meta.url));
}

export interface ServeOptions {
  /** Built web app (must hold index.html); default {@link defaultWebDir}. */
  dir?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Read by the weights store (GRADCAM_WEIGHTS_DIR, GRADCAM_WEIGHTS_BASE_URL, XDG_CACHE_HOME). */
  env?: NodeJS.ProcessEnv;
  /** Weights cache folder; default the store's `cacheDir(env)`. */
  cacheDir?: string;
  /** One line per finished request (method, path, status, time); none when absent. */
  log?: (line: string) => void;
  /** Non-fatal problems, e.g. a download that cannot be hash-checked. */
  onWarning?: (message: string) => void;
}

export interface RunningServer {
  /** What to open, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** Bound address and port. */
  host: string;
  port: number;
  /** Cancels downloads in progress (no partial files left), ends all connections, stops listening. */
  close(): Promise<void>;
}

export type ServeErrorCode = 'no-app' | 'port-in-use' | 'listen';

/** The server could not start; the message says what to do. */
export class ServeError extends Error {
  override readonly name = 'ServeError';
  constructor(
    readonly code: ServeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An item of `GET /api/models`. */
export interface ModelListing {
  id: string;
  name: string;
  fileName: string;
  available: boolean;
  bytes: number;
  /** Where the served file is (absent when there is none): GRADCAM_WEIGHTS_DIR or the cache. */
  source?: 'env-dir' | 'cache';
}

/** Server-sent events of `POST /api/weights/<id>/download` (event name, then JSON data). */
export type DownloadEvent =
  | { event: 'progress'; data: DownloadProgress }
  | { event: 'warning'; data: { message: string } }
  | { event: 'done'; data: { fileName: string } }
  | { event: 'error'; data: { message: string; code: WeightsErrorCode | 'internal' } };

/** Starts the server; rejects with {@link ServeError} when the app is missing or the port is taken. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const explicitDir = options.dir !== undefined;
  const dir = resolve(options.dir ?? defaultWebDir());
  const root = await appRoot(dir, explicitDir);
  const indexPath = join(root, 'index.html');
  const store: StoreOptions = { env: options.env ?? process.env, cacheDir: options.cacheDir };
  const downloads = new Downloads(store, options.onWarning);
  let loopbackOnly = true;
  let url = '';

  const server = createServer((req, res) => {
    const started = performance.now();
    if (options.log) {
      res.on('close', () =>
        options.log?.(
          `${req.method} ${req.url} ${res.statusCode} ${Math.round(performance.now() - started)}ms`,
        ),
      );
    }
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: `Internal error: ${errText(e)}` });
    });
  });
  // Malformed requests: answer with the same headers rather than Node's bare 400.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    const headers = Object.entries(SECURITY_HEADERS)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    // DNS rebinding: a foreign site resolving its name to 127.0.0.1 must not reach the API.
    if (loopbackOnly && !isLocalHostHeader(req.headers.host)) {
      return sendText(
        res,
        403,
        `Host "${req.headers.host}" is not allowed: this server only answers to localhost. ` +
          `Open ${url}, or start it with --host to serve other names.`,
      );
    }
    const segments = parseRequestPath(req.url ?? '/');
    if (!segments) return sendText(res, 400, 'Bad request path.');
    if (segments[0] === 'api') return handleApi(req, res, segments.slice(1));
    if (segments[0] === 'weights') return handleWeightsFile(req, res, segments.slice(1));
    return handleStatic(req, res, segments);
  }

  async function handleStatic(
    req: IncomingMessage,
    res: ServerResponse,
    segments: string[],
  ): Promise<void> {
    if (!isGetOrHead(req)) return methodNotAllowed(res, 'GET, HEAD', false);
    const names = segments.filter((s) => s !== '');
    // Dotfiles are never served (nor is anything inside dot-folders).
    const hidden = names.some((s) => s.startsWith('.'));
    let found = hidden ? null : await findFile(root, names, segments.at(-1) === '');
    if (!found && !hidden && !(names.at(-1) ?? '').includes('.')) {
      found = await findFile(root, ['index.html'], false); // SPA route
    }
    if (!found) return sendText(res, 404, 'Not found.');
    const cacheControl = names[0] === 'assets' && found.path !== indexPath ? IMMUTABLE : 'no-cache';
    const type = MIME_TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream';
    sendFile(req, res, found.path, found.stats, type, cacheControl);
  }

  async function handleWeightsFile(
    req: IncomingMessage,
    res: ServerResponse,
    rest: string[],
  ): Promise<void> {
    const fileName = rest.length === 1 ? rest[0] : '';
    const spec = MODELS.find((m) => m.weights.fileName === fileName);
    if (!spec) {
      return sendJson(res, 404, {
        error:
          `Not an official weights file: "${rest.join('/')}". ` +
          `Known: ${MODELS.map((m) => m.weights.fileName).join(', ')}.`,
      });
    }
    if (!isGetOrHead(req)) return methodNotAllowed(res, 'GET, HEAD', true);
    const local = (await listCached([spec.weights], store)).get(fileName);
    const stats = local && (await stat(local.path).catch(() => null));
    if (!local || !stats?.isFile()) {
      return sendJson(res, 404, {
        error:
          `The ${spec.name} weights (${fileName}, ${formatMB(spec.weights.bytes)}) are not ` +
          `available yet. Download them from the app, run \`gradcam-explorer classify -m ` +
          `${spec.id} <image>\` once, or put the file in the folder named by GRADCAM_WEIGHTS_DIR.`,
      });
    }
    sendFile(req, res, local.path, stats, 'application/octet-stream', 'no-cache');
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, rest: string[]) {
    if (rest.length === 1 && rest[0] === 'models') {
      if (!isGetOrHead(req)) return methodNotAllowed(res, 'GET, HEAD', true);
      const cached = await listCached(
        MODELS.map((m) => m.weights),
        store,
      );
      // The size of the file that will be served when there is one, else the published size.
      const list: ModelListing[] = await Promise.all(
        MODELS.map(async (m) => {
          const local = cached.get(m.weights.fileName);
          const size = local
            ? await stat(local.path).then(
                (s) => s.size,
                () => m.weights.bytes,
              )
            : m.weights.bytes;
          return {
            id: m.id,
            name: m.name,
            fileName: m.weights.fileName,
            available: local !== undefined,
            bytes: size,
            source: local && (local.source === 'cache' ? 'cache' : 'env-dir'),
          };
        }),
      );
      res.setHeader('Cache-Control', 'no-store');
      return sendJson(res, 200, list);
    }
    if (rest.length === 3 && rest[0] === 'weights' && rest[2] === 'download') {
      const spec = MODELS.find((m) => m.id === rest[1]);
      if (!spec) {
        return sendJson(res, 404, {
          error: `Unknown model "${rest[1]}". Valid models: ${MODELS.map((m) => m.id).join(', ')}.`,
        });
      }
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST', true);
      // CSRF: browsers send Origin on every POST; other sites must not start downloads. Local
      // origins pass on a loopback server (e.g. a Vite dev server proxying with changeOrigin).
      const origin = req.headers.origin;
      if (
        origin !== undefined &&
        origin !== `http://${req.headers.host}` &&
        !(loopbackOnly && isLocalOrigin(origin))
      ) {
        return sendJson(res, 403, { error: `Cross-origin request from ${origin} refused.` });
      }
      // ?replace=1: download again over a damaged copy in the cache (kept until the new one is
      // complete). A file in GRADCAM_WEIGHTS_DIR is the user's own: never replaced.
      const query = (req.url ?? '').split('#')[0].split('?')[1] ?? '';
      const replace = new URLSearchParams(query).get('replace') === '1';
      if (replace) {
        const local = (await listCached([spec.weights], store)).get(spec.weights.fileName);
        if (local && local.source !== 'cache') {
          return sendJson(res, 409, {
            error:
              `The ${spec.name} weights are read from ${local.path} (GRADCAM_WEIGHTS_DIR), ` +
              'which this server does not change. Replace that file, or remove it to use the cache.',
          });
        }
      }
      req.resume();
      return downloads.attach(spec.weights, res, replace);
    }
    return sendJson(res, 404, { error: `Unknown API path: ${req.url}` });
  }

  await new Promise<void>((ok, fail) => {
    const onError = (e: NodeJS.ErrnoException) => fail(listenError(e, options));
    server.once('error', onError);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      server.off('error', onError);
      ok();
    });
  });
  const address = server.address() as AddressInfo;
  loopbackOnly = isLoopback(address.address);
  url = `http://${urlHost(address.address)}:${address.port}/`;

  let closing: Promise<void> | undefined;
  return {
    url,
    host: address.address,
    port: address.port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((ok) => server.close(() => ok()));
        await downloads.close();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

/** Joins every browser tab asking for the same file to one download; sends progress as SSE. */
class Downloads {
  private readonly jobs = new Map<string, Job>();
  private readonly streams = new Set<ServerResponse>();
  private readonly abort = new AbortController();

  constructor(
    private readonly store: StoreOptions,
    private readonly onWarning?: (message: string) => void,
  ) {}

  /** `replace`: download even when the cache has the file (it is replaced once complete). */
  async attach(weights: OfficialWeights, res: ServerResponse, replace = false): Promise<void> {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    let job: Job | undefined;
    let closed = false;
    const heartbeat = setInterval(() => res.writableEnded || res.write(': ping\n\n'), HEARTBEAT_MS);
    this.streams.add(res);
    // A tab leaving does not cancel the download: others may wait for it, and a reload
    // then finds the file in the cache (the download is hash-checked and kept either way).
    res.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      this.streams.delete(res);
      job?.clients.delete(res);
    });
    const { fileName } = weights;
    job = this.jobs.get(fileName);
    if (!job) {
      const local = replace ? new Map() : await listCached([weights], this.store);
      if (closed) return;
      if (local.has(fileName)) {
        sendEvent(res, { event: 'done', data: { fileName } });
        res.end();
        return;
      }
      job = this.jobs.get(fileName) ?? this.start(weights);
    }
    if (closed) return;
    job.clients.add(res);
    if (job.warning) sendEvent(res, { event: 'warning', data: { message: job.warning } });
    if (job.latest) sendEvent(res, { event: 'progress', data: job.latest });
  }

  private start(weights: OfficialWeights): Job {
    const job: Job = {
      clients: new Set(),
      latest: null,
      latestSent: true,
      lastSentAt: 0,
      timer: undefined,
      warning: null,
      settled: Promise.resolve(),
    };
    this.jobs.set(weights.fileName, job);
    job.settled = downloadWeights(weights, {
      ...this.store,
      signal: this.abort.signal,
      onProgress: (p) => this.progress(job, p),
      onWarning: (message) => {
        job.warning = message;
        this.onWarning?.(message);
        this.broadcast(job, { event: 'warning', data: { message } });
      },
    }).then(
      () => this.finish(job, weights, { event: 'done', data: { fileName: weights.fileName } }),
      (e: unknown) => this.finish(job, weights, { event: 'error', data: this.errorData(e) }),
    );
    return job;
  }

  /** At most one progress event per interval; the latest one wins. */
  private progress(job: Job, p: DownloadProgress): void {
    job.latest = p;
    job.latestSent = false;
    const wait = job.lastSentAt + PROGRESS_INTERVAL_MS - performance.now();
    if (wait <= 0) this.flush(job);
    else
      job.timer ??= setTimeout(() => {
        job.timer = undefined;
        this.flush(job);
      }, wait);
  }

  private flush(job: Job): void {
    if (job.latestSent || !job.latest) return;
    job.latestSent = true;
    job.lastSentAt = performance.now();
    this.broadcast(job, { event: 'progress', data: job.latest });
  }

  private finish(job: Job, weights: OfficialWeights, last: DownloadEvent): void {
    clearTimeout(job.timer);
    this.flush(job);
    this.jobs.delete(weights.fileName);
    this.broadcast(job, last);
    for (const res of job.clients) res.end();
    job.clients.clear();
  }

  private errorData(e: unknown): { message: string; code: WeightsErrorCode | 'internal' } {
    if (this.abort.signal.aborted) {
      return {
        message: 'The server is shutting down; the download was cancelled.',
        code: 'aborted',
      };
    }
    if (e instanceof WeightsError) return { message: e.message, code: e.code };
    return { message: errText(e), code: 'internal' };
  }

  private broadcast(job: Job, ev: DownloadEvent): void {
    for (const res of job.clients) sendEvent(res, ev);
  }

  /** Cancels downloads (their temporary files are removed) and ends every event stream. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.settled));
    for (const res of this.streams) res.end();
  }
}

interface Job {
  clients: Set<ServerResponse>;
  latest: DownloadProgress | null;
  latestSent: boolean;
  lastSentAt: number;
  timer: NodeJS.Timeout | undefined;
  warning: string | null;
  settled: Promise<void>;
}

function sendEvent(res: ServerResponse, { event, data }: DownloadEvent): void {
  if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The real path of `dir` once it holds index.html; else a ServeError saying how to build it. */
async function appRoot(dir: string, explicit: boolean): Promise<string> {
  const index = await stat(join(dir, 'index.html')).catch(() => null);
  if (!index?.isFile()) {
    throw new ServeError(
      'no-app',
      `No built web app in ${dir} (index.html not found). Build it with ` +
        '`npm run build -w packages/web` (or run `npm start` from the repository root)' +
        (explicit ? '.' : ', or pass --dir <folder>.'),
    );
  }
  return realpath(dir);
}

/**
 * Decoded path segments of a request target (`/a/b/` gives `['a', 'b', '']`), or null when it is
 * malformed or has `.`/`..` segments (encoded or not), backslashes or NUL.
 */
export function parseRequestPath(target: string): string[] | null {
  let raw = target;
  if (!raw.startsWith('/')) {
    // Absolute form (`GET http://host/path`).
    const m = /^https?:\/\/[^/?#]*/i.exec(raw);
    if (!m) return null;
    raw = raw.slice(m[0].length) || '/';
    if (!raw.startsWith('/')) raw = `/${raw}`;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.split(/[?#]/, 1)[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').slice(1);
  return segments.some((s) => s === '.' || s === '..') ? null : segments;
}

/** A regular file under `root` (symlinks resolved, still inside); `dir` asks for its index.html. */
async function findFile(
  root: string,
  names: string[],
  dir: boolean,
): Promise<{ path: string; stats: Stats } | null> {
  const path = join(root, ...names, ...(dir ? ['index.html'] : []));
  try {
    const real = await realpath(path);
    const rel = relative(root, real);
    if (rel.startsWith('..') || isAbsolute(rel)) return null;
    const stats = await stat(real);
    return stats.isFile() ? { path: real, stats } : null;
  } catch {
    return null;
  }
}

/** Streams a file with validators, 304 and single byte ranges. */
function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  stats: Stats,
  contentType: string,
  cacheControl: string,
): void {
  const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const lastModified = stats.mtime.toUTCString();
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', lastModified);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Accept-Ranges', 'bytes');
  if (isFresh(req, etag, stats.mtimeMs)) {
    res.writeHead(304).end();
    return;
  }
  const size = stats.size;
  let start = 0;
  let end = size - 1;
  const ifRange = req.headers['if-range'];
  const range =
    req.method === 'GET' && (ifRange === undefined || ifRange === etag || ifRange === lastModified)
      ? parseRange(req.headers.range, size)
      : null;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': 0 }).end();
    return;
  }
  if (range) {
    ({ start, end } = range);
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  }
  const length = size === 0 ? 0 : end - start + 1;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', length);
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  pipeline(createReadStream(path, { start, end }), res).catch(() => res.destroy());
}

function isFresh(req: IncomingMessage, etag: string, mtimeMs: number): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    return inm.split(',').some((t) => {
      const tag = t.trim();
      return tag === '*' || tag.replace(/^W\//, '') === etag;
    });
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

/** One `bytes=` range; null to send the whole file (absent, malformed or several ranges). */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0
      ? 'unsatisfiable'
      : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (last < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}

function isGetOrHead(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

function methodNotAllowed(res: ServerResponse, allow: string, json: boolean): void {
  res.setHeader('Allow', allow);
  const message = `Method not allowed (allowed: ${allow}).`;
  if (json) sendJson(res, 405, { error: message });
  else sendText(res, 405, message);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, 'text/plain; charset=utf-8', `${text}\n`);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  const buf = Buffer.from(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length });
  // Node drops the body of HEAD responses.
  res.end(buf);
}

function listenError(e: NodeJS.ErrnoException, options: ServeOptions): Error {
  const where = `${options.host ?? '127.0.0.1'}:${options.port ?? 8080}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new ServeError(
        'port-in-use',
        `Port ${options.port ?? 8080} is already in use on ${options.host ?? '127.0.0.1'} ` +
          '(another server, or gradcam-explorer serve already running?). ' +
          'Choose another with --port <n>, or --port 0 for any free port.',
        { cause: e },
      );
    case 'EACCES':
      return new ServeError(
        'listen',
        `Not allowed to listen on ${where}; ports below 1024 need privileges: use --port 8080.`,
        { cause: e },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ServeError(
        'listen',
        `Cannot listen on ${where}: the address is not one of this machine's (--host).`,
        { cause: e },
      );
    default:
      return new ServeError('listen', `Cannot listen on ${where}: ${e.message}`, { cause: e });
  }
}

/** 127.0.0.0/8 and ::1 (also IPv4-mapped), or `localhost`. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  return a === 'localhost' || a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

function isLocalHostHeader(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 clients; browsers always send it
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host);
  if (!m) return false;
  const name = m[1].replace(/^\[|\]$/g, '').toLowerCase();
  return isLoopback(name) || name.endsWith('.localhost');
}

function isLocalOrigin(origin: string): boolean {
  try {
    const { protocol, host } = new URL(origin);
    return (protocol === 'http:' || protocol === 'https:') && isLocalHostHeader(host);
  } catch {
    return false;
  }
}

/** Host part of the URL to print: wildcard binds are reached through 127.0.0.1. */
function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return isIP(address) === 6 ? `[${address}]` : address;
}

function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface ServeCommandOptions {
  port: number;
  host: string;
  dir?: string;
  open?: boolean;
  verbose?: boolean;
}

/**
 * The `serve` subcommand: prints `Grad-CAM Explorer: <url>` on stdout once listening, then runs
 * until SIGINT/SIGTERM (or `stop`). Returns 1 when it cannot start.
 */
export async function serveCommand(
  opts: ServeCommandOptions,
  io: Io,
  stop?: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let running: RunningServer;
  try {
    running = await startServer({
      dir: opts.dir,
      port: opts.port,
      host: opts.host,
      env,
      log: opts.verbose ? (line) => io.stderr.write(`${line}\n`) : undefined,
      onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
    });
  } catch (e) {
    if (!(e instanceof ServeError)) throw e;
    io.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  if (!isLoopback(running.host)) {
    io.stderr.write(
      `warning: listening on ${running.host}: the app and its weights API are reachable from ` +
        `the network${networkUrls(running)}. Use --host 127.0.0.1 to keep it on this machine.\n`,
    );
  }
  const dirProblem = await weightsDirProblem(env);
  if (dirProblem) io.stderr.write(`warning: ${dirProblem}\n`);
  io.stdout.write(`Grad-CAM Explorer: ${running.url}\n`);
  if (opts.open) openBrowser(running.url, (m) => io.stderr.write(`warning: ${m}\n`));

  await new Promise<void>((done) => {
    const onStop = () => {
      process.off('SIGINT', onStop);
      process.off('SIGTERM', onStop);
      stop?.removeEventListener('abort', onStop);
      done();
    };
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
    if (stop?.aborted) onStop();
    else stop?.addEventListener('abort', onStop);
  });
  await running.close();
  return 0;
}

/** ` (at http://192.168.1.5:8080/, ...)` for wildcard binds. */
function networkUrls(running: RunningServer): string {
  if (running.host !== '0.0.0.0' && running.host !== '::') return '';
  const urls = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && (running.host === '::' || i.family === 'IPv4'))
    .map((i) => `http://${urlHost(i!.address)}:${running.port}/`);
  return urls.length ? ` (at ${urls.join(', ')})` : '';
}

function openBrowser(url: string, onError: (message: string) => void): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, {
      stdio: 'ignore',
      detached: true,
      windowsVerbatimArguments: true,
    });
    child.on('error', (e) => onError(`could not open a browser (${e.message}); open ${url}`));
    child.unref();
  } catch (e) {
    onError(`could not open a browser (${errText(e)}); open ${url}`);
  }
}
