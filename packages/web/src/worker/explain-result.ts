// What crosses from the worker to the page for one explanation: core computes, this only copies the
// typed arrays the page keeps (so their buffers can be transferred, not cloned) and names them.
import {
  channelsUsed,
  computationSteps,
  getCamMethod,
  type Explanation,
} from '@gradcam-explorer/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ExplainResult } from './protocol';

export function explainResult(
  gen: number,
  e: Explanation,
  activations: tf.Tensor4D,
  methodOptions: Readonly<Record<string, number>> | undefined,
): { result: ExplainResult; transfers: ArrayBuffer[] } {
  const transfers: ArrayBuffer[] = [];
  const own = (x: Float32Array) => {
    const copy = new Float32Array(x);
    transfers.push(copy.buffer);
    return copy;
  };
  const steps = computationSteps(activations, e.output);
  if (steps.channelWeights) transfers.push(steps.channelWeights.buffer as ArrayBuffer);
  if (steps.rawMap) transfers.push(steps.rawMap.buffer as ArrayBuffer);
  steps.topChannels?.forEach((c) => transfers.push(c.map.buffer as ArrayBuffer));
  const o = e.output;
  const output: ExplainResult['output'] =
    o.kind === 'layer'
      ? { kind: 'layer', width: o.width, height: o.height, values: own(o.values), rawMax: o.rawMax }
      : {
          kind: 'saliency',
          width: o.width,
          height: o.height,
          rgb: own(o.rgb),
          magnitude: own(o.magnitude),
        };
  const { index, label, probability, logit } = e.target;
  const result: ExplainResult = {
    gen,
    method: e.method,
    layer: e.layer,
    counterfactual: e.counterfactual,
    target: { index, label, probability, logit },
    output,
    steps,
    ms: e.ms,
    outputId: 0,
    channelsScored: channelsUsed(getCamMethod(e.method), methodOptions, steps.activationShape[2]),
  };
  return { result, transfers };
}
