// The local server's weights API (same origin): which files are present, the .h5 bytes with
// progress, and the download endpoint's server-sent events.

export interface ServerModel {
  id: string;
  fileName: string;
  available: boolean;
  bytes: number;
  /** Where the served file is: the folder named by GRADCAM_WEIGHTS_DIR, or the server's cache. */
  source?: 'env-dir' | 'cache';
}

export interface Progress {
  receivedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  /** null while the rate is unknown. */
  etaSeconds: number | null;
}

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    /** `offline` when the server cannot reach the internet. */
    readonly code: string,
  ) {
    super(message);
  }
}

/** GET /api/models; null when the page is not served by gradcam-explorer (e.g. a static host). */
export async function fetchServerModels(signal?: AbortSignal): Promise<ServerModel[] | null> {
  try {
    const res = await fetch('api/models', { signal, cache: 'no-store' });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
    const list = (await res.json()) as ServerModel[];
    return Array.isArray(list) ? list : null;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    return null;
  }
}

/**
 * Version of the server's file (HEAD: its ETag, else its size), remembered with the parsed copy in
 * the browser so that a replaced file is fetched and parsed again. `size:<fallback>` when HEAD fails.
 */
export async function serverFileVersion(fileName: string, fallback: number): Promise<string> {
  try {
    const res = await fetch(`weights/${encodeURIComponent(fileName)}`, {
      method: 'HEAD',
      cache: 'no-store',
    });
    const etag = res.headers.get('etag');
    const n = Number(res.headers.get('content-length'));
    if (res.ok && etag) return `etag:${etag}`;
    return `size:${res.ok && n > 0 ? n : fallback}`;
  } catch {
    return `size:${fallback}`;
  }
}

/** Rate over a sliding window of samples, for a steady "about N s left". */
export class RateMeter {
  private samples: [number, number][] = [];
  constructor(private readonly windowMs = 3000) {}
  add(t: number, bytes: number): number {
    this.samples.push([t, bytes]);
    while (this.samples.length > 2 && t - this.samples[0][0] > this.windowMs) this.samples.shift();
    const [t0, b0] = this.samples[0];
    return t > t0 ? ((bytes - b0) * 1000) / (t - t0) : 0;
  }
}

/** GET with progress; the body is assembled in one ArrayBuffer (transferred to the worker). */
export async function fetchWithProgress(
  url: string,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
  expectedBytes = 0,
): Promise<ArrayBuffer> {
  const res = await fetch(url, { signal });
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body.error) detail = body.error;
    } catch {
      // not JSON
    }
    throw new Error(`Could not load ${url}: ${detail}`);
  }
  const total = Number(res.headers.get('content-length')) || expectedBytes;
  if (!res.body) return res.arrayBuffer();
  const reader = res.body.getReader();
  let buf = new Uint8Array(total || 1 << 20);
  let received = 0;
  const meter = new RateMeter();
  let lastReport = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (received + value.length > buf.length) {
      const bigger = new Uint8Array(Math.max(buf.length * 2, received + value.length));
      bigger.set(buf.subarray(0, received));
      buf = bigger;
    }
    buf.set(value, received);
    received += value.length;
    const now = performance.now();
    const rate = meter.add(now, received);
    if (now - lastReport > 50) {
      lastReport = now;
      const totalBytes = Math.max(total, received);
      onProgress({
        receivedBytes: received,
        totalBytes,
        bytesPerSecond: rate,
        etaSeconds: rate > 0 ? (totalBytes - received) / rate : null,
      });
    }
  }
  onProgress({ receivedBytes: received, totalBytes: received, bytesPerSecond: 0, etaSeconds: 0 });
  return received === buf.length ? buf.buffer : buf.slice(0, received).buffer;
}

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Incremental text/event-stream parser (WHATWG HTML, "Server-sent events", parsing an event
 * stream): feed chunks, get complete events. Handles CRLF, comments, multi-line data.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];

  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      // A lone CR at the very end may be half of a CRLF: wait for the next chunk.
      if (!m || (m[0] === '\r' && m.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      if (line === '') {
        if (this.data.length)
          out.push({ event: this.event || 'message', data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
    }
    return out;
  }
}

/**
 * POST /api/weights/<id>/download and follow its events until `done` (resolves with the file
 * name) or `error` (rejects with a DownloadError carrying the server's code). `replace`: download
 * again over a damaged cached file (replaced only once the new one is complete).
 */
export async function downloadOnServer(
  modelId: string,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
  replace = false,
): Promise<string> {
  const query = replace ? '?replace=1' : '';
  const res = await fetch(`api/weights/${encodeURIComponent(modelId)}/download${query}`, {
    method: 'POST',
    signal,
    headers: { accept: 'text/event-stream' },
  });
  if (!res.ok || !res.body) {
    let message = `The server could not start the download (${res.status}).`;
    try {
      const body = (await res.json()) as { error?: string; message?: string };
      message = body.error ?? body.message ?? message;
    } catch {
      // not JSON
    }
    throw new DownloadError(message, 'http');
  }
  const parser = new SseParser();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const ev of parser.feed(value)) {
      const payload = JSON.parse(ev.data) as Record<string, unknown>;
      if (ev.event === 'progress') onProgress(payload as unknown as Progress);
      else if (ev.event === 'done') {
        await reader.cancel().catch(() => undefined);
        return String(payload.fileName);
      } else if (ev.event === 'error') {
        await reader.cancel().catch(() => undefined);
        throw new DownloadError(
          String(payload.message ?? 'Download failed'),
          String(payload.code ?? ''),
        );
      }
    }
  }
  throw new DownloadError('The download stopped before it finished.', 'incomplete');
}
