import { describe, expect, it } from 'vitest';
import { CAM_METHODS, getCamMethod } from './registry.js';
import {
  channelChoices,
  channelOption,
  channelsUsed,
  countedChannels,
  effectiveChannels,
  methodOptionValues,
} from './options.js';
import { DEFAULT_SCORECAM_OPTIONS, selectChannels } from './scorecam.js';
import type { MethodOption } from './types.js';

const scorecam = getCamMethod('scorecam');
const channels = channelOption(scorecam)!;

describe('method options are registry data', () => {
  it('Score-CAM declares its channel count (default 64) and batch size; no other method has options', () => {
    expect(channels).toMatchObject({ id: 'maxChannels', kind: 'channels', default: 64 });
    expect(channels.default).toBe(DEFAULT_SCORECAM_OPTIONS.maxChannels);
    expect(scorecam.options!.map((o) => o.id)).toEqual(['maxChannels', 'batchSize']);
    for (const m of CAM_METHODS.filter((x) => x !== scorecam)) {
      expect(m.options, m.id).toBeUndefined();
      expect(channelOption(m)).toBeUndefined();
    }
  });

  it('every method says whether it has a counterfactual: those that use class gradients', () => {
    for (const m of CAM_METHODS)
      expect(m.supportsCounterfactual, m.id).toBe(m.kind !== 'gradient-free');
  });

  it('fills in defaults and leaves out what a method does not declare', () => {
    expect(methodOptionValues(scorecam)).toEqual({ maxChannels: 64, batchSize: 16 });
    expect(methodOptionValues(scorecam, { maxChannels: 0, other: 3 })).toEqual({
      maxChannels: 0,
      batchSize: 16,
    });
    expect(methodOptionValues(scorecam, { maxChannels: undefined })).toEqual({
      maxChannels: 64,
      batchSize: 16,
    });
    expect(methodOptionValues(getCamMethod('gradcam'), { maxChannels: 16 })).toEqual({});
  });
});

describe('channel-count rules', () => {
  it('0, or at least the layer, means every channel', () => {
    expect(countedChannels(0, 1280)).toBe(1280);
    expect(countedChannels(-1, 96)).toBe(96);
    expect(countedChannels(2000, 1280)).toBe(1280);
    expect(countedChannels(64, 1280)).toBe(64);
  });

  it('channelsUsed reports the count for a method with a channel option only', () => {
    expect(channelsUsed(scorecam, undefined, 1280)).toBe(64);
    expect(channelsUsed(scorecam, { maxChannels: 16 }, 1280)).toBe(16);
    expect(channelsUsed(scorecam, { maxChannels: 0 }, 96)).toBe(96);
    expect(channelsUsed(scorecam, { maxChannels: 256 }, 96)).toBe(96);
    expect(channelsUsed(getCamMethod('gradcam'), { maxChannels: 16 }, 96)).toBeUndefined();
  });

  it('offers 16 / 64 / 256 below the layer size, then all', () => {
    expect(channelChoices(channels, 1280).map((c) => c.value)).toEqual([16, 64, 256, 0]);
    expect(channelChoices(channels, 1280)[1].label).toBe('64 (default, Faster Score-CAM)');
    expect(channelChoices(channels, 1280)[3].label).toBe('all 1280 (original Score-CAM)');
    expect(channelChoices(channels, 96).map((c) => c.value)).toEqual([16, 64, 0]);
    expect(channelChoices(channels, 64).map((c) => c.value)).toEqual([16, 0]);
    const plain: MethodOption = { id: 'n', label: 'N', help: '', default: 8, kind: 'channels' };
    expect(channelChoices({ ...plain, presets: [8] }, 32)).toEqual([
      { value: 8, label: '8' },
      { value: 0, label: 'all 32' },
    ]);
  });

  it('asks for all channels when the choice covers the layer', () => {
    expect(effectiveChannels(16, 96)).toBe(16);
    expect(effectiveChannels(256, 96)).toBe(0);
    expect(effectiveChannels(0, 96)).toBe(0);
    expect(effectiveChannels(256, undefined)).toBe(256);
  });
});

describe('Score-CAM channel selection (Faster Score-CAM)', () => {
  it('keeps the highest-variance channels, ascending, lower index first on ties', () => {
    const variance = [0.5, 3, 1, 3, 0];
    expect(selectChannels(variance, 2)).toEqual([1, 3]);
    expect(selectChannels(variance, 3)).toEqual([1, 2, 3]);
    expect(selectChannels([1, 1, 1], 2)).toEqual([0, 1]);
  });

  it('keeps every channel for 0 or a count at least the layer', () => {
    expect(selectChannels([2, 1, 3], 0)).toEqual([0, 1, 2]);
    expect(selectChannels([2, 1, 3], 3)).toEqual([0, 1, 2]);
    expect(selectChannels([2, 1, 3], 99)).toEqual([0, 1, 2]);
  });
});
