/** True in `vite build` output (vite.config.ts `define`). */
declare const __GRADCAM_BUILD__: boolean;
