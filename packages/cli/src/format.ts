// Small text helpers shared by the weights store and the server.

/** The message of an error, or the thrown value as text. */
export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A byte count in megabytes with one decimal, e.g. `14.5 MB`. */
export function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
