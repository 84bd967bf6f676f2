// What every command shares with the entry point: where output goes, and the error that means
// "called wrongly" (exit code 2). Kept apart from index.ts so that commands never import it.

/** The streams a command writes to: results on stdout, everything else on stderr. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
