// The HTTP server of `serve`: checks every request against the security rules, then routes it to
// the weights API or the static files; answers malformed requests with the same headers.
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { errText } from '../format.js';
import type { StoreOptions } from '../weights-store/index.js';
import { Downloads } from './downloads.js';
import { sendJson, sendText } from './responses.js';
import { isLocalHostHeader, isLoopback, parseRequestPath, SECURITY_HEADERS } from './security.js';
import { defaultWebDir, staticFiles } from './static.js';
import { handleApi, handleWeightsFile, type WeightsApiContext } from './weights-api.js';

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

/** Starts the server; rejects with {@link ServeError} when the app is missing or the port is taken. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const explicitDir = options.dir !== undefined;
  const dir = resolve(options.dir ?? defaultWebDir());
  const root = await appRoot(dir, explicitDir);
  const store: StoreOptions = { env: options.env ?? process.env, cacheDir: options.cacheDir };
  const downloads = new Downloads(store, options.onWarning);
  const handleStatic = staticFiles(root);
  let loopbackOnly = true;
  let url = '';
  const api: WeightsApiContext = { store, downloads, loopbackOnly: () => loopbackOnly };

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
    if (segments[0] === 'api') return handleApi(api, req, res, segments.slice(1));
    if (segments[0] === 'weights') return handleWeightsFile(api, req, res, segments.slice(1));
    return handleStatic(req, res, segments);
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

/** Host part of the URL to print: wildcard binds are reached through 127.0.0.1. */
export function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return isIP(address) === 6 ? `[${address}]` : address;
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
