import { describe, expect, it } from 'vitest';
import { guessArchitecture } from './guess';

describe('guessArchitecture', () => {
  it('recognises current and legacy Keras layer names', () => {
    expect(guessArchitecture(['input_1', 'Conv1_pad', 'Conv1', 'bn_Conv1', 'Logits'])).toBe(
      'mobilenet_v2',
    );
    expect(guessArchitecture(['conv1_pad', 'conv1_conv', 'conv2_block1_1_conv'])).toBe('resnet50');
    expect(guessArchitecture(['conv1', 'bn_conv1', 'res2a_branch2a', 'fc1000'])).toBe('resnet50');
    expect(guessArchitecture(['block1_conv1', 'block5_conv3', 'fc1', 'fc2', 'predictions'])).toBe(
      'vgg16',
    );
    // Xception also has block1_conv1: its separable convolutions decide.
    expect(guessArchitecture(['block1_conv1', 'block1_conv1_bn', 'block2_sepconv1'])).toBe(
      'xception',
    );
    expect(guessArchitecture(['dense', 'dense_1'])).toBeNull();
  });
});
