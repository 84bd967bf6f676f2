import { describe, expect, it } from 'vitest';
import type { CachedWeights } from '../worker/protocol';
import { damagedMessage, isBadFile, originText, pickStored } from './weights-source';

const FILE = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5';
const SHA_SERVER = 'a'.repeat(64);
const SHA_USER = '1a2b3c4d5e6f'.padEnd(64, '0');
const server: CachedWeights = {
  id: 'server|mobilenet_v2',
  modelId: 'mobilenet_v2',
  sha256: SHA_SERVER,
  bytes: 14_536_120,
  origin: { kind: 'server', fileName: FILE, version: 'etag:"ddcd38-1"' },
  savedAt: 1,
};
// The user's file: the official name and the same size, other contents.
const user: CachedWeights = {
  id: 'user|mobilenet_v2',
  modelId: 'mobilenet_v2',
  sha256: SHA_USER,
  bytes: 14_536_120,
  origin: { kind: 'user', fileName: FILE },
  savedAt: 2,
};

describe('pickStored', () => {
  it("never takes the user's file for the server's, whatever its name and size", () => {
    expect(pickStored([user], 'mobilenet_v2', 'etag:"ddcd38-1"')).toBeNull();
    expect(pickStored([user], 'mobilenet_v2', 'size:14536120')).toBeNull();
    expect(pickStored([user, server], 'mobilenet_v2', 'etag:"ddcd38-1"')).toBe(server);
  });

  it('parses the server file again once it has changed', () => {
    expect(pickStored([server, user], 'mobilenet_v2', 'etag:"ddcd38-2"')).toBeNull();
  });

  it("without the server's file: its last copy, else the user's own file", () => {
    expect(pickStored([user, server], 'mobilenet_v2', null)).toBe(server);
    expect(pickStored([user], 'mobilenet_v2', null)).toBe(user);
    expect(pickStored([user, server], 'resnet50', null)).toBeNull();
  });
});

describe('what the page says', () => {
  it('names the origin of the loaded weights', () => {
    expect(originText(server)).toBe("Weights: official file from this computer's server");
    expect(originText(user)).toBe(`Weights: your file ${FILE} (sha256 1a2b3c4d5e6f…)`);
  });

  it('says where a damaged server file is', () => {
    const reason = `Weights file "${FILE}" is truncated.`;
    expect(damagedMessage('MobileNetV2', reason, 'cache')).toBe(
      `The cached MobileNetV2 weights on this computer are damaged: Weights file "${FILE}" is truncated.`,
    );
    expect(damagedMessage('MobileNetV2', reason, 'env-dir')).toMatch(
      /weights folder \(GRADCAM_WEIGHTS_DIR\) is damaged: .*truncated\. Replace it there/,
    );
  });

  it('recognises the errors of a bad file', () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });
    expect(isBadFile(named('MismatchError'))).toBe(true);
    expect(isBadFile(named('WeightsFileError'))).toBe(true);
    expect(isBadFile(named('CancelledError'))).toBe(false);
    expect(isBadFile('MismatchError')).toBe(false);
  });
});
