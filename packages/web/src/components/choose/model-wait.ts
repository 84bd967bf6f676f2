// What the page waits for before it can classify, in words, for the places the learner looks at
// (steps 2 and 3, the banner under the header): the network loading with its progress, or what to
// do next.
import type { ModelStatus } from '../../state/model';

export interface ModelWait {
  /** One sentence. */
  text: string;
  /** 0 to 1 when a download or a fetch reports it. */
  progress: number | null;
  /** Something the learner has to do (download, load a file, try again) in step 1. */
  action: boolean;
}

/** Why the network is not ready, or null when it is. */
export function modelWait(s: ModelStatus, name: string): ModelWait | null {
  const progress =
    (s.kind === 'fetching' || s.kind === 'downloading') && s.progress && s.progress.totalBytes > 0
      ? Math.min(1, s.progress.receivedBytes / s.progress.totalBytes)
      : null;
  const pct = progress !== null ? ` (${Math.round(progress * 100)} %)` : '';
  switch (s.kind) {
    case 'ready':
      return null;
    case 'starting':
      return { text: `Starting the engine, then loading ${name}...`, progress, action: false };
    case 'checking':
      return { text: `Looking for the ${name} weights...`, progress, action: false };
    case 'fetching':
      return { text: `Loading the ${name} weights${pct}...`, progress, action: false };
    case 'downloading':
      return { text: `Downloading the ${name} weights${pct}...`, progress, action: false };
    case 'loading':
      return {
        text: `Preparing ${name} (${s.stage === 'parse' ? 'reading the weights' : s.stage === 'build' ? 'building the network' : s.stage === 'store' ? 'saving it in this browser' : 'warming up'})...`,
        progress,
        action: false,
      };
    case 'missing':
      return {
        text: `The ${name} weights are not on this computer yet: download them in step 1, load a weights file, or choose another network.`,
        progress,
        action: true,
      };
    case 'offline':
    case 'damaged':
    case 'error':
      return {
        text: `${name} could not be loaded: step 1 says why and what to do.`,
        progress,
        action: true,
      };
  }
}
