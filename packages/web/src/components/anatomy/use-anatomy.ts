// What the anatomy's parts share: the shown explanation taken apart, the channels to show, the
// channel in detail, the inspected cell.
import { useMemo } from 'react';
import {
  CAM_METHODS,
  channelDetail,
  rankedChannels,
  type Anatomy,
  type CamMethod,
  type ChannelDetail,
} from '@gradcam-explorer/core/pure';
import { shortLabel } from '../../format';
import { shownExplanation, type ExplanationState } from '../../state/explanation';
import { useStore } from '../../state/store';

export interface AnatomyContext {
  e: ExplanationState;
  an: Anatomy;
  method: CamMethod;
  /** The class, short. */
  cls: string;
  /** The channels shown in the thumbnails and bars (largest shares first, then the negative). */
  ranked: number[];
  /** The channel in detail. */
  channel: number;
  detail: ChannelDetail;
  /** The inspected cell, if any. */
  cell: number | null;
}

/** The anatomy of the shown explanation, once it is taken apart (null before, or without one). */
export function useAnatomy(): AnatomyContext | null {
  const e = useStore(shownExplanation);
  const state = useStore((s) => s.anatomy);
  const chosen = useStore((s) => s.anatomyChannel);
  const cell = useStore((s) => s.anatomyCell);
  const an = state && e && state.outputId === e.result.outputId ? state.an : null;
  const ranked = useMemo(() => (an ? rankedChannels(an) : []), [an]);
  const k = an?.data.shape[2] ?? 0;
  const channel = chosen !== null && chosen < k ? chosen : (ranked[0] ?? 0);
  const detail = useMemo(() => (an ? channelDetail(an, channel) : null), [an, channel]);
  if (!e || !an || !detail) return null;
  const [h, w] = an.data.shape;
  const method = CAM_METHODS.find((m) => m.id === e.result.method) ?? CAM_METHODS[0];
  return {
    e,
    an,
    method,
    cls: shortLabel(e.result.target.label),
    ranked,
    channel,
    detail,
    cell: cell !== null && cell < h * w ? cell : null,
  };
}
