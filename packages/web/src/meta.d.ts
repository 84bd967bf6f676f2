// Plain-data metadata of core's models and CAM methods, generated at build time (vite.config.ts).
declare module 'virtual:gradcam-meta' {
  export interface ModelMeta {
    id: string;
    name: string;
    summary: string;
    description: string;
    inputSize: number;
    defaultLayer: string;
    parameters: number;
    facts: {
      /** Year the architecture appeared (its preprint). */
      year: number;
      depth: number;
      top1: number;
      top5: number;
      /** `year`: the venue's year. */
      paper: { title: string; authors: string; venue: string; year: number; url: string };
    };
    weights: { fileName: string; bytes: number };
  }
  export interface MethodMeta {
    id: string;
    name: string;
    summary: string;
    citation: string;
    kind: 'gradient' | 'gradient-free' | 'saliency';
    supportsCounterfactual: boolean;
  }
  export const MODELS: readonly ModelMeta[];
  export const CAM_METHODS: readonly MethodMeta[];
  export const DEFAULT_METHOD: string;
}

/** True in `vite build` output (vite.config.ts `define`). */
declare const __GRADCAM_BUILD__: boolean;
