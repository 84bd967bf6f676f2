// Static file serving: the built web app (single-page fallback, long-lived caching of hashed
// assets) and the streaming of any file with validators, 304 and byte ranges.
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { isGetOrHead, methodNotAllowed, sendText } from './responses.js';

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

/** `packages/web/dist` beside this package (same from `src/serve/` and `dist/serve/`). */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../../web/dist', import.meta.url));
}

/**
 * Serves the app in `root` (a real path holding index.html): files by path, folders by their
 * index.html, extension-less paths (app routes) by the app's index.html. Never dotfiles, never
 * anything outside `root`.
 */
export function staticFiles(root: string) {
  const indexPath = join(root, 'index.html');
  return async (req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> => {
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
  };
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
export function sendFile(
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
