// A stand-in for `gradcam-explorer serve`, implementing the same HTTP contract, for developing
// the web app before (or without) the CLI server. The e2e suite uses the real server when the CLI
// has a `serve` command and falls back to this one otherwise (see app-server.ts).
//
//   GET  /api/models                      [{id, fileName, available, bytes}]
//   GET  /weights/<fileName>              the .h5 bytes, or 404 {error}
//   POST /api/weights/<id>/download       text/event-stream: progress..., then done | error
//   every response: COOP/COEP (cross-origin isolation) and the strict CSP.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS } from '../../core/src/models/registry.js';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** The official weights files, from core's model registry. */
export const WEIGHT_FILES = MODELS.map((m) => ({
  id: m.id,
  fileName: m.weights.fileName,
  bytes: m.weights.bytes,
}));

export interface ContractServerOptions {
  /** Built app (packages/web/dist). */
  root?: string;
  /** Folder with weights files (GRADCAM_WEIGHTS_DIR). */
  weightsDir?: string;
  port?: number;
  /** Simulate a download from this folder; otherwise downloads fail with code `offline`. */
  downloadFrom?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  /** Requests seen, for tests that check what the page fetched. */
  requests: string[];
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

export async function startContractServer(
  opts: ContractServerOptions = {},
): Promise<RunningServer> {
  const root = resolve(opts.root ?? fileURLToPath(new URL('../dist', import.meta.url)));
  const weightsDir = opts.weightsDir ?? process.env.GRADCAM_WEIGHTS_DIR;
  const requests: string[] = [];
  /** Files "downloaded" by the simulated download, served from then on. */
  const downloaded = new Map<string, string>();
  const localFile = async (name: string): Promise<string | null> => {
    const got = downloaded.get(name);
    if (got) return got;
    const file = weightsDir ? join(weightsDir, name) : null;
    return file && (await fileSize(file)) !== null ? file : null;
  };

  const models = async () =>
    Promise.all(
      WEIGHT_FILES.map(async (w) => {
        const file = await localFile(w.fileName);
        const size = file ? await fileSize(file) : null;
        return { id: w.id, fileName: w.fileName, available: size !== null, bytes: size ?? w.bytes };
      }),
    );

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    requests.push(`${req.method} ${path}`);
    if (path === '/api/models' && req.method === 'GET') {
      return send(res, 200, JSON.stringify(await models()), 'application/json');
    }
    const dl = /^\/api\/weights\/([^/]+)\/download$/.exec(path);
    if (dl && req.method === 'POST') {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
      });
      const w = WEIGHT_FILES.find((x) => x.id === dl[1]);
      const event = (name: string, data: unknown) =>
        res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      if (!w) {
        event('error', { message: `Unknown model ${dl[1]}`, code: 'unknown-model' });
        return res.end();
      }
      const src = opts.downloadFrom ? join(opts.downloadFrom, w.fileName) : null;
      const size = src ? await fileSize(src) : null;
      if (!src || size === null) {
        event('error', {
          message: 'This computer cannot reach the internet to download the weights.',
          code: 'offline',
        });
        return res.end();
      }
      for (let i = 1; i <= 5; i++) {
        await new Promise((r) => setTimeout(r, 60));
        const received = Math.round((size * i) / 5);
        event('progress', {
          receivedBytes: received,
          totalBytes: size,
          bytesPerSecond: size / 0.3,
          etaSeconds: ((5 - i) * 60) / 1000,
        });
      }
      downloaded.set(w.fileName, src);
      event('done', { fileName: w.fileName });
      return res.end();
    }
    if (path.startsWith('/weights/') && (req.method === 'GET' || req.method === 'HEAD')) {
      const name = path.slice('/weights/'.length);
      const known = WEIGHT_FILES.find((w) => w.fileName === name);
      const file = known ? await localFile(name) : null;
      const size = file ? await fileSize(file) : null;
      if (!file || size === null) {
        return send(
          res,
          404,
          JSON.stringify({ error: `No weights file ${name}` }),
          'application/json',
        );
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(size),
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, JSON.stringify({ error: 'Method not allowed' }), 'application/json');
    }
    // Static files from dist; unknown paths get index.html (single page).
    const rel = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '');
    let file = join(root, rel);
    if (!file.startsWith(root + sep)) return send(res, 403, 'Forbidden', 'text/plain');
    if ((await fileSize(file)) === null) file = join(root, 'index.html');
    try {
      const body = await readFile(file);
      send(res, 200, body, TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      send(res, 404, 'Not found', 'text/plain');
    }
  };

  const server: Server = createServer((req, res) => {
    handler(req, res).catch((e) => {
      if (!res.headersSent)
        send(res, 500, JSON.stringify({ error: String(e) }), 'application/json');
      else res.end();
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// `tsx e2e/contract-server.ts [port]`: serve dist for manual checks.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? 5180);
  startContractServer({ port }).then((s) => console.log(`Grad-CAM Explorer: ${s.url}`));
}
