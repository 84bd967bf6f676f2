// `serve` as started: errors that stop it from starting (no built app, port taken) and the
// `gradcam-explorer serve` command (its one URL line, --verbose, warnings, SIGINT, exit codes).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../index.js';
import { freePort, makeTestApp } from '../testing/serve-client.js';
import { defaultWebDir, ServeError, startServer, type RunningServer } from './index.js';

let tmp: string;
let app: string;
let env: NodeJS.ProcessEnv;
let srv: RunningServer;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-serve-command-'));
  app = await makeTestApp(tmp);
  env = {
    HOME: tmp,
    XDG_CACHE_HOME: join(tmp, 'xdg'),
    GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${await freePort()}/`,
  };
  srv = await startServer({ dir: app, port: 0, env });
});

afterAll(async () => {
  await srv?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('startServer errors', () => {
  it('explains a missing app and a port in use', async () => {
    const missing = join(tmp, 'nothing-here');
    await expect(startServer({ dir: missing, port: 0 })).rejects.toThrow(
      /npm run build -w packages\/web/,
    );
    const port = Number(new URL(srv.url).port);
    const err = await startServer({ dir: app, port, env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServeError);
    expect((err as ServeError).code).toBe('port-in-use');
    expect((err as ServeError).message).toMatch(new RegExp(`Port ${port} is already in use`));
    expect(defaultWebDir()).toMatch(/packages[/\\]web[/\\]dist$/);
  });
});

describe('gradcam-explorer serve', () => {
  function io() {
    const stdout = new PassThrough();
    const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    (stderr as unknown as PassThrough).on('data', (d: Buffer) => (err += d.toString()));
    return { io: { stdout, stderr }, out: () => out, err: () => err };
  }

  /** Runs the subcommand until it prints its URL line, then stops it as SIGINT would. */
  async function serveOnce(args: string[], check: (url: string) => Promise<void>) {
    const t = io();
    const before = new Set(process.listeners('SIGINT'));
    const termListeners = process.listenerCount('SIGTERM');
    const exit = run(['node', 'gradcam-explorer', 'serve', ...args], t.io);
    for (let i = 0; i < 200 && !t.out().includes('\n'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const url = /^Grad-CAM Explorer: (\S+)\n$/.exec(t.out())?.[1];
    expect(url, t.err()).toBeDefined();
    await check(url!);
    // Only our own handler: other SIGINT listeners in this worker are left alone.
    for (const l of process.listeners('SIGINT')) if (!before.has(l)) l('SIGINT');
    expect(await exit).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(before.size);
    expect(process.listenerCount('SIGTERM')).toBe(termListeners);
    return t;
  }

  it('prints exactly one URL line, logs requests with --verbose, stops on SIGINT', async () => {
    const t = await serveOnce(['--port', '0', '--dir', app, '--verbose'], async (url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const r = await fetch(url);
      expect(r.status).toBe(200);
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    });
    expect(t.out()).toMatch(/^Grad-CAM Explorer: http:\/\/127\.0\.0\.1:\d+\/\n$/);
    expect(t.err()).toMatch(/^GET \/ 200 \d+ms$/m);
  });

  it('warns when reachable from the network', async () => {
    const t = await serveOnce(['--port', '0', '--dir', app, '--host', '0.0.0.0'], async (url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    });
    expect(t.err()).toMatch(/warning: listening on 0\.0\.0\.0: .*reachable from the network/);
  });

  it('exits 1 with a clear message when the app is missing or the port is taken', async () => {
    const t = io();
    const missing = join(tmp, 'no-dist');
    expect(await run(['node', 'gradcam-explorer', 'serve', '--dir', missing], t.io)).toBe(1);
    expect(t.err()).toContain('npm run build -w packages/web');
    expect(t.out()).toBe('');
    const t2 = io();
    const port = new URL(srv.url).port;
    expect(
      await run(['node', 'gradcam-explorer', 'serve', '--port', port, '--dir', app], t2.io),
    ).toBe(1);
    expect(t2.err()).toMatch(/already in use.*--port 0/);
    const t3 = io();
    expect(await run(['node', 'gradcam-explorer', 'serve', '--port', '70000'], t3.io)).toBe(2);
  });
});
