// Node-only test helper for the `serve` tests: a built-app stand-in folder, raw HTTP requests and
// a server-sent-events client for the download endpoint, and a free loopback port.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const WASM = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
export const JS = 'console.log("asset");\n';
export const INDEX = '<!doctype html><title>Grad-CAM Explorer test</title>\n';

/**
 * `<tmp>/app`, shaped like a Vite build (index.html, hashed assets) plus what must never be
 * served: a dotfile, and a symlink to `<tmp>/secret.txt` outside the folder.
 */
export async function makeTestApp(tmp: string): Promise<string> {
  const app = join(tmp, 'app');
  await mkdir(join(app, 'assets'), { recursive: true });
  await writeFile(join(app, 'index.html'), INDEX);
  await writeFile(join(app, 'assets', 'index-4f3a2b1c.js'), JS);
  await writeFile(join(app, 'assets', 'tfjs-backend-wasm-9a8b7c6d.wasm'), WASM);
  await writeFile(join(app, '.env'), 'SECRET=1');
  await writeFile(join(tmp, 'secret.txt'), 'SECRET outside the app');
  await symlink(join(tmp, 'secret.txt'), join(app, 'link.txt'));
  return app;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raw request to `base`: the path goes out exactly as written (fetch would normalise `..`). */
export function rawRequest(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(base);
  return new Promise((ok, fail) => {
    const r = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', fail);
      },
    );
    r.on('error', fail);
    r.end();
  });
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** POSTs to the download endpoint of the server at `base`; `onEvent` may return true to disconnect. */
export function downloadEvents(
  base: string,
  modelId: string,
  onEvent: (e: SseEvent, all: SseEvent[]) => boolean | void = () => undefined,
  headers: Record<string, string> = {},
  query = '',
): Promise<{ res: IncomingMessage; events: SseEvent[] }> {
  const url = new URL(base);
  return new Promise((ok, fail) => {
    const r = request(
      {
        host: url.hostname,
        port: url.port,
        path: `/api/weights/${modelId}/download${query}`,
        method: 'POST',
        headers,
        agent: false,
      },
      (res) => {
        const events: SseEvent[] = [];
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!ev || data === undefined) continue; // comments
            const e = { event: ev, data: JSON.parse(data) as Record<string, unknown> };
            events.push(e);
            if (onEvent(e, events)) {
              res.destroy();
              ok({ res, events });
              return;
            }
          }
        });
        res.on('end', () => ok({ res, events }));
        res.on('error', fail);
      },
    );
    r.on('error', fail);
    r.end();
  });
}

/** A loopback port nothing listens on. */
export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}
