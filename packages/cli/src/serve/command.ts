// The `serve` command: starts the server, prints its URL, warns about what the user should know
// (reachable from the network, an unusable GRADCAM_WEIGHTS_DIR), runs until SIGINT/SIGTERM.
import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { errText } from '../format.js';
import type { Io } from '../io.js';
import { weightsDirProblem } from '../weights-store/index.js';
import { isLoopback } from './security.js';
import { ServeError, startServer, urlHost, type RunningServer } from './server.js';

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
