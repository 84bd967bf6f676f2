import type { CamMethod } from './types.js';
import gradcam from './gradcam.js';
import gradcamPlusPlus from './gradcam-plus-plus.js';
import xgradcam from './xgradcam.js';
import hirescam from './hirescam.js';
import layercam from './layercam.js';
import eigencam from './eigencam.js';
import scorecam from './scorecam.js';
import guidedBackprop from './guided-backprop.js';
import guidedGradcam from './guided-gradcam.js';

/**
 * Every CAM method, in the order pickers show them. Adding one: one file + one line here. Plain data
 * plus formulas that receive `tf` from the engine: importing the registry loads no TensorFlow.js.
 */
export const CAM_METHODS: readonly CamMethod[] = [
  gradcam,
  gradcamPlusPlus,
  xgradcam,
  hirescam,
  layercam,
  eigencam,
  scorecam,
  guidedBackprop,
  guidedGradcam,
];

export const DEFAULT_METHOD = 'gradcam';

export function getCamMethod(id: string): CamMethod {
  const m = CAM_METHODS.find((x) => x.id === id);
  if (!m) {
    throw new Error(
      `Unknown method "${id}". Valid methods: ${CAM_METHODS.map((x) => x.id).join(', ')}`,
    );
  }
  return m;
}
