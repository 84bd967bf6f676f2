// The measures that end when a heatmap is drawn: drop -> heatmap, class switch -> heatmap, and a
// display change -> repaint. The overlay reports every heatmap it draws (heatmapDrawn); that ends
// the measures waiting for it, and tells whoever listens (onHeatmapDrawn).
import type { ExplanationState } from '../state/explanation';
import { mark, measure, MEASURES } from './user-timing';

interface Waiting {
  name: string;
  start: string;
  photoId: number;
  /** Ends only when this class is drawn. */
  classIndex?: number;
}

let waiting: Waiting[] = [];
let displayStart: string | null = null;
const listeners = new Set<(drawn: ExplanationState) => void>();

/** A new photo: only the measure from its drop waits now. */
export function timeDropToHeatmap(photoId: number, start: string): void {
  waiting = [{ name: MEASURES.dropToHeatmap, start, photoId }];
}

export function timeClassSwitch(photoId: number, classIndex: number): void {
  waiting.push({ name: MEASURES.classSwitch, start: mark('gc:class-click'), photoId, classIndex });
}

/** A display setting changed: the next repaint ends the measure. */
export function timeDisplayChange(): void {
  displayStart = mark('gc:display-input');
}

export function forgetTimings(): void {
  waiting = [];
}

/** Called by the overlay after drawing `drawn`. */
export function heatmapDrawn(drawn: ExplanationState): void {
  if (displayStart) {
    measure(MEASURES.displayChange, displayStart);
    displayStart = null;
  }
  const t = drawn.result.target.index;
  waiting = waiting.filter((w) => {
    if (w.photoId !== drawn.photoId) return false;
    if (w.classIndex !== undefined && w.classIndex !== t) return true;
    measure(w.name, w.start, { method: drawn.result.method, classIndex: t });
    return false;
  });
  for (const listener of listeners) listener(drawn);
}

/** Calls `listener` after each drawn heatmap; returns the unsubscribe. */
export function onHeatmapDrawn(listener: (drawn: ExplanationState) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
