// Ctrl-C (SIGINT) and SIGTERM: cancel downloads, remove half-written files, exit 130. Long
// computations are synchronous, so the handler runs as soon as the current step yields.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const controller = new AbortController();
const temporary = new Set<string>();

/** Aborted on the first Ctrl-C. */
export const interruptSignal: AbortSignal = controller.signal;

/** Removes `path` if the process is interrupted before `release()` is called. */
export function removeOnInterrupt(path: string): () => void {
  temporary.add(path);
  return () => temporary.delete(path);
}

/**
 * Writes `data` to `path` whole or not at all: to a temporary name beside it first (removed on
 * failure or Ctrl-C), renamed into place when complete.
 */
export async function writeWhole(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.part`);
  const release = removeOnInterrupt(tmp);
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    release();
  }
}

let installed = false;
let exitCode: number | null = null;

/** 130 after Ctrl-C (143 after SIGTERM), else null: the exit code an interrupted run ends with. */
export const interruptedExitCode = (): number | null => exitCode;

/** Installs the handlers once; a second Ctrl-C exits at once. */
export function handleInterrupts(stderr: NodeJS.WritableStream): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (controller.signal.aborted) process.exit(code);
    exitCode = code;
    for (const path of temporary) rmSync(path, { force: true });
    temporary.clear();
    stderr.write(`\nInterrupted: stopping (nothing half-written is left behind).\n`);
    controller.abort(new Error('interrupted'));
    // Whatever is still pending gets a moment to clean up, then the process ends.
    setTimeout(() => process.exit(code), 2000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
