// `gradcam-explorer serve`: serves the built web app on loopback, with the small weights API the
// app uses (list, stream from the local store, download into the cache with progress as SSE).
export { serveCommand, type ServeCommandOptions } from './command.js';
export type { DownloadEvent } from './downloads.js';
export {
  CONTENT_SECURITY_POLICY,
  isLoopback,
  parseRequestPath,
  SECURITY_HEADERS,
} from './security.js';
export {
  ServeError,
  startServer,
  type RunningServer,
  type ServeErrorCode,
  type ServeOptions,
} from './server.js';
export { defaultWebDir, MIME_TYPES, parseRange } from './static.js';
export type { ModelListing } from './weights-api.js';
