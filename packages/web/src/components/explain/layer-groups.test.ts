import type { CamLayerInfo } from '@gradcam-explorer/core/pure';
import { describe, expect, it } from 'vitest';
import { blockOutputs, groupLayers } from './layer-groups';

const layers = (names: string[], def?: string): CamLayerInfo[] =>
  names.map((name) => ({
    name,
    className: name.includes('bn') || name.endsWith('_BN') ? 'BatchNormalization' : 'Conv2D',
    height: 7,
    width: 7,
    channels: 8,
    isDefault: name === def,
  }));

const summary = (names: string[], def?: string) =>
  groupLayers(layers(names, def)).map((g) => [g.label, g.layers.map((l) => l.name)]);

describe('groupLayers', () => {
  it('MobileNetV2: a stem, block 0 (expanded_conv), numbered blocks and the top', () => {
    const names = [
      'Conv1', 'bn_Conv1', 'Conv1_relu',
      'expanded_conv_depthwise', 'expanded_conv_project', 'expanded_conv_project_BN',
      'block_1_expand', 'block_1_project_BN',
      'block_16_project', 'block_16_project_BN',
      'Conv_1', 'Conv_1_bn', 'out_relu',
    ]; // prettier-ignore
    expect(summary(names, 'out_relu')).toEqual([
      ['Stem', ['Conv1', 'bn_Conv1', 'Conv1_relu']],
      ['Block 0', ['expanded_conv_depthwise', 'expanded_conv_project', 'expanded_conv_project_BN']],
      ['Block 1', ['block_1_expand', 'block_1_project_BN']],
      ['Block 16', ['block_16_project', 'block_16_project_BN']],
      ['Top', ['Conv_1', 'Conv_1_bn', 'out_relu']],
    ]);
    const outs = blockOutputs(groupLayers(layers(names, 'out_relu'))).map((l) => l.name);
    expect(outs).toEqual([
      'Conv1_relu',
      'expanded_conv_project_BN',
      'block_1_project_BN',
      'block_16_project_BN',
      'out_relu',
    ]);
  });

  it('ResNet: stages and blocks; the pool joins the stem stage', () => {
    const names = [
      'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pool',
      'conv2_block1_1_conv', 'conv2_block1_out',
      'conv5_block3_2_relu', 'conv5_block3_out',
    ]; // prettier-ignore
    expect(summary(names)).toEqual([
      ['Stage 1', ['conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pool']],
      ['Stage 2, block 1', ['conv2_block1_1_conv', 'conv2_block1_out']],
      ['Stage 5, block 3', ['conv5_block3_2_relu', 'conv5_block3_out']],
    ]);
  });

  it('Xception: unnamed residual layers belong to the block before them', () => {
    const names = [
      'block1_conv1', 'block1_conv2_act',
      'block2_sepconv1', 'conv2d', 'batch_normalization', 'block2_pool', 'add',
      'block14_sepconv2_act',
    ]; // prettier-ignore
    expect(summary(names)).toEqual([
      ['Block 1', ['block1_conv1', 'block1_conv2_act']],
      ['Block 2', ['block2_sepconv1', 'conv2d', 'batch_normalization', 'block2_pool', 'add']],
      ['Block 14', ['block14_sepconv2_act']],
    ]);
  });

  it('keeps the default and the chosen layer among the block outputs', () => {
    const g = groupLayers(layers(['block5_conv1', 'block5_conv3', 'block5_pool'], 'block5_conv3'));
    expect(blockOutputs(g, 'block5_conv1').map((l) => l.name)).toEqual([
      'block5_conv1',
      'block5_conv3',
      'block5_pool',
    ]);
  });
});
