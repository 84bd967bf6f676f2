// Honest scales for the page: the plain rules (scale-math.ts) and the hooks that apply the scale
// mode the user chose (display settings) to maps shown side by side.
import { useMemo } from 'react';
import { scaleGains, scaleTops } from './scale-math';
import { useStore } from './store';

export * from './scale-math';

/**
 * For maps shown together, with raw maxima `rawMaxes`: the factor each map's normalised values are
 * multiplied by (pass it as the Compositor's `gain`), in the scale mode the user chose: 1 each on
 * their own maximum, rawMax_i / max_j rawMax_j on a shared scale. Stable while the inputs are.
 */
export function useScaleGains(rawMaxes: readonly number[]): number[] {
  const mode = useStore((s) => s.scaleMode);
  const key = rawMaxes.join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => scaleGains(rawMaxes, mode), [key, mode]);
}

/** The raw value full colour stands for, per map (for colorbars), in the chosen scale mode. */
export function useScaleTops(rawMaxes: readonly number[]): number[] {
  const mode = useStore((s) => s.scaleMode);
  const key = rawMaxes.join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => scaleTops(rawMaxes, mode), [key, mode]);
}
