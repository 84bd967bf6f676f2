// The methods the sanity check offers, from core's registry: the paper's pair first.
import { CAM_METHODS, SANITY_METHODS, type CamMethod } from '@gradcam-explorer/core/pure';

/** Grad-CAM and guided backpropagation: Adebayo et al.'s contrast (core's SANITY_METHODS). */
export const SANITY_METHODS_DEFAULT: readonly string[] = SANITY_METHODS;

/** Every registered method, the default pair first. */
export const SANITY_CHOICES: readonly CamMethod[] = [
  ...CAM_METHODS.filter((m) => SANITY_METHODS.includes(m.id)),
  ...CAM_METHODS.filter((m) => !SANITY_METHODS.includes(m.id)),
];
