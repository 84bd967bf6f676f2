import { describe, expect, it } from 'vitest';
import {
  channelChoices,
  channelCountOption,
  DEFAULT_SCORE_CHANNELS,
  effectiveChannels,
} from './channel-options';

describe('Score-CAM channel choices', () => {
  it('offers 16 / 64 / 256 below the layer size, then all', () => {
    expect(channelChoices(1280).map((c) => c.value)).toEqual([16, 64, 256, 0]);
    expect(channelChoices(1280)[1].label).toBe('64 (default, Faster Score-CAM)');
    expect(channelChoices(1280)[3].label).toBe('all 1280 (original Score-CAM)');
    expect(channelChoices(96).map((c) => c.value)).toEqual([16, 64, 0]);
    expect(channelChoices(64).map((c) => c.value)).toEqual([16, 0]);
  });

  it('asks for all channels when the choice covers the layer', () => {
    expect(effectiveChannels(16, 96)).toBe(16);
    expect(effectiveChannels(256, 96)).toBe(0);
    expect(effectiveChannels(0, 96)).toBe(0);
    expect(effectiveChannels(256, undefined)).toBe(256);
  });

  it('comes from the method registry: only methods declaring a channel count get the picker', () => {
    expect(channelCountOption('scorecam')?.id).toBe('maxChannels');
    expect(channelCountOption('gradcam')).toBeUndefined();
    expect(channelCountOption('no-such-method')).toBeUndefined();
    expect(DEFAULT_SCORE_CHANNELS).toBe(64);
    expect(channelChoices(96, 'scorecam')).toEqual(channelChoices(96));
  });
});
