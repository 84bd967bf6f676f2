// Security rules of `serve`: the headers sent on every response (CSP, cross-origin isolation), the
// Host and Origin checks that keep other sites out of a loopback server (DNS rebinding, CSRF), and
// the parsing of request paths that keeps requests inside the served folders.
import { isIP } from 'node:net';

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

/** 127.0.0.0/8 and ::1 (also IPv4-mapped), or `localhost`. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  return a === 'localhost' || a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

/** A Host header naming this machine; a loopback server answers no other (DNS rebinding). */
export function isLocalHostHeader(host: string | undefined): boolean {
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

/**
 * CSRF: browsers send Origin on every POST; other sites must not start downloads. Allowed: no
 * Origin (not a browser), the server's own origin, and, on a loopback server, local origins (e.g.
 * a Vite dev server proxying with changeOrigin).
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  loopbackOnly: boolean,
): boolean {
  return (
    origin === undefined || origin === `http://${host}` || (loopbackOnly && isLocalOrigin(origin))
  );
}
