// The download hub of `serve`: one download per weights file however many tabs ask for it, its
// progress sent to each of them as server-sent events, cancelled (no partial file) on close.
import type { ServerResponse } from 'node:http';
import type { OfficialWeights } from '@gradcam-explorer/core';
import { errText } from '../format.js';
import {
  downloadWeights,
  listCached,
  WeightsError,
  type DownloadProgress,
  type StoreOptions,
  type WeightsErrorCode,
} from '../weights-store/index.js';

const PROGRESS_INTERVAL_MS = 100;
/** SSE comment interval, so that idle proxies and browsers keep the stream open. */
const HEARTBEAT_MS = 15_000;

/** Server-sent events of `POST /api/weights/<id>/download` (event name, then JSON data). */
export type DownloadEvent =
  | { event: 'progress'; data: DownloadProgress }
  | { event: 'warning'; data: { message: string } }
  | { event: 'done'; data: { fileName: string } }
  | { event: 'error'; data: { message: string; code: WeightsErrorCode | 'internal' } };

/** Joins every browser tab asking for the same file to one download; sends progress as SSE. */
export class Downloads {
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
