// Every failure of the weights store, with a code that the CLI and the server's API pass on.

export type WeightsErrorCode =
  | 'not-found'
  | 'http'
  | 'offline'
  | 'network'
  | 'interrupted'
  | 'hash-mismatch'
  | 'invalid'
  | 'aborted'
  | 'io';

export class WeightsError extends Error {
  override readonly name = 'WeightsError';
  constructor(
    readonly code: WeightsErrorCode,
    readonly fileName: string,
    message: string,
    readonly url?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
