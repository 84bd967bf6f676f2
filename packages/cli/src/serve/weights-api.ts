// The weights API of `serve`: `GET /api/models` (what is available), `GET /weights/<fileName>`
// (the official file from the local store) and `POST /api/weights/<id>/download[?replace=1]`
// (a download into the cache, its progress as server-sent events).
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MODELS } from '@gradcam-explorer/core';
import { formatMB } from '../format.js';
import { listCached, type StoreOptions } from '../weights-store/index.js';
import type { Downloads } from './downloads.js';
import { isGetOrHead, methodNotAllowed, sendJson } from './responses.js';
import { isAllowedOrigin } from './security.js';
import { sendFile } from './static.js';

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

/** What the API needs from the server. */
export interface WeightsApiContext {
  store: StoreOptions;
  downloads: Downloads;
  /** Whether the server listens on loopback only (then local origins may start downloads). */
  loopbackOnly(): boolean;
}

/** `GET|HEAD /weights/<fileName>`: `rest` is the path after `weights/`. */
export async function handleWeightsFile(
  ctx: WeightsApiContext,
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
  const local = (await listCached([spec.weights], ctx.store)).get(fileName);
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

/** Everything under `/api/`: `rest` is the path after `api/`. */
export async function handleApi(
  ctx: WeightsApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string[],
): Promise<void> {
  if (rest.length === 1 && rest[0] === 'models') {
    if (!isGetOrHead(req)) return methodNotAllowed(res, 'GET, HEAD', true);
    res.setHeader('Cache-Control', 'no-store');
    return sendJson(res, 200, await listModels(ctx.store));
  }
  if (rest.length === 3 && rest[0] === 'weights' && rest[2] === 'download') {
    return startDownload(ctx, req, res, rest[1]);
  }
  return sendJson(res, 404, { error: `Unknown API path: ${req.url}` });
}

/** The size of the file that will be served when there is one, else the published size. */
async function listModels(store: StoreOptions): Promise<ModelListing[]> {
  const cached = await listCached(
    MODELS.map((m) => m.weights),
    store,
  );
  return Promise.all(
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
}

async function startDownload(
  ctx: WeightsApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  modelId: string,
): Promise<void> {
  const spec = MODELS.find((m) => m.id === modelId);
  if (!spec) {
    return sendJson(res, 404, {
      error: `Unknown model "${modelId}". Valid models: ${MODELS.map((m) => m.id).join(', ')}.`,
    });
  }
  if (req.method !== 'POST') return methodNotAllowed(res, 'POST', true);
  const origin = req.headers.origin;
  if (!isAllowedOrigin(origin, req.headers.host, ctx.loopbackOnly())) {
    return sendJson(res, 403, { error: `Cross-origin request from ${origin} refused.` });
  }
  // ?replace=1: download again over a damaged copy in the cache (kept until the new one is
  // complete). A file in GRADCAM_WEIGHTS_DIR is the user's own: never replaced.
  const query = (req.url ?? '').split('#')[0].split('?')[1] ?? '';
  const replace = new URLSearchParams(query).get('replace') === '1';
  if (replace) {
    const local = (await listCached([spec.weights], ctx.store)).get(spec.weights.fileName);
    if (local && local.source !== 'cache') {
      return sendJson(res, 409, {
        error:
          `The ${spec.name} weights are read from ${local.path} (GRADCAM_WEIGHTS_DIR), ` +
          'which this server does not change. Replace that file, or remove it to use the cache.',
      });
    }
  }
  req.resume();
  return ctx.downloads.attach(spec.weights, res, replace);
}
