// Score-CAM's "Channels scored" choices for a layer (0 = all channels, the original method).

/** Core's default (DEFAULT_SCORECAM_OPTIONS.maxChannels: Faster Score-CAM). */
export const DEFAULT_SCORE_CHANNELS = 64;

export interface ChannelChoice {
  value: number;
  label: string;
}

/** 16 / 64 / 256 where the layer has more channels, then all of them. */
export function channelChoices(layerChannels: number): ChannelChoice[] {
  const some = [16, DEFAULT_SCORE_CHANNELS, 256]
    .filter((n) => n < layerChannels)
    .map((n) => ({
      value: n,
      label: n === DEFAULT_SCORE_CHANNELS ? `${n} (default, Faster Score-CAM)` : String(n),
    }));
  return [...some, { value: 0, label: `all ${layerChannels} (original Score-CAM)` }];
}

/** The count to ask for: 0 (all) when the choice covers every channel of the layer. */
export function effectiveChannels(choice: number, layerChannels: number | undefined): number {
  if (choice <= 0) return 0;
  return layerChannels !== undefined && choice >= layerChannels ? 0 : choice;
}
