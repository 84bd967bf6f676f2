// The "Channels scored" choices of a method that declares a channel-count option (Score-CAM's
// `maxChannels`, 0 = all channels): read from core's method registry, with core's rules.
import {
  CAM_METHODS,
  channelChoices as optionChoices,
  channelOption,
  type MethodOption,
  type OptionChoice,
} from '@gradcam-explorer/core/pure';

export { effectiveChannels } from '@gradcam-explorer/core/pure';
export type ChannelChoice = OptionChoice;

/** The registry's channel-count option (the first method that declares one: Score-CAM). */
const FIRST = CAM_METHODS.map(channelOption).find((o): o is MethodOption => o !== undefined);

/** The channel-count option of `methodId`, if it declares one (the picker is shown for it). */
export function channelCountOption(methodId: string): MethodOption | undefined {
  const method = CAM_METHODS.find((m) => m.id === methodId);
  return method && channelOption(method);
}

/** The option's default (64, Faster Score-CAM). */
export const DEFAULT_SCORE_CHANNELS = FIRST?.default ?? 0;

/** 16 / 64 / 256 where the layer has more channels, then all of them. */
export function channelChoices(layerChannels: number, methodId?: string): ChannelChoice[] {
  const option = (methodId === undefined ? undefined : channelCountOption(methodId)) ?? FIRST;
  return option ? optionChoices(option, layerChannels) : [];
}
