// The weights store: finds official Keras weights files on disk, or downloads them into the user
// cache with hash verification. Used by the CLI commands and by `serve`.
export { WeightsError, type WeightsErrorCode } from './errors.js';
export {
  cacheDir,
  listCached,
  weightsDirProblem,
  type ResolvedWeights,
  type StoreOptions,
  type WeightsSource,
} from './local.js';
export {
  downloadUrl,
  downloadWeights,
  type DownloadOptions,
  type DownloadProgress,
} from './download.js';
export { resolveWeights, type ResolveOptions } from './resolve.js';
