import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const coreIndex = fileURLToPath(new URL('../core/src/index.ts', import.meta.url));
const corePure = fileURLToPath(new URL('../core/src/pure.ts', import.meta.url));

/**
 * tfjs-backend-wasm starts its pthread workers with the Emscripten factory as a Blob, which the
 * workers load with importScripts(blob:); under the server's CSP (script-src 'self') that is
 * blocked and the threaded backend never starts. This makes it use a same-origin URL instead: the
 * unmodified factory file, emitted as an asset by the worker (backend.ts sets the global).
 */
function tfjsWasmThreadsUnderCsp(): Plugin {
  const target = 'factoryConfig.mainScriptUrlOrBlob = new Blob(';
  return {
    name: 'tfjs-wasm-threads-csp',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').endsWith('@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js')) {
        return null;
      }
      if (!code.includes(target)) {
        this.error('tfjs-backend-wasm changed: update tfjsWasmThreadsUnderCsp in vite.config.ts');
      }
      return code.replace(
        target,
        'factoryConfig.mainScriptUrlOrBlob = globalThis.__gradcamWasmThreadsScript || new Blob(',
      );
    },
  };
}

/** Rolldown's "[PLUGIN_TIMINGS]" report alarms newcomers on every `npm start` and says nothing new. */
const QUIET_CHECKS = { bundlerTimings: false };

export default defineConfig(({ command }) => ({
  // Relative asset URLs: dist/ works wherever the server mounts it.
  base: './',
  define: {
    // True in `vite build` output whatever NODE_ENV says (Vitest sets it to "test").
    __GRADCAM_BUILD__: JSON.stringify(command === 'build'),
  },
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@gradcam-explorer\/core$/, replacement: coreIndex },
      { find: /^@gradcam-explorer\/core\/pure$/, replacement: corePure },
    ],
  },
  worker: {
    format: 'es',
    plugins: () => [tfjsWasmThreadsUnderCsp()],
    rolldownOptions: { checks: QUIET_CHECKS },
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // Never inline assets as data: URLs (the CSP's connect-src 'self' forbids fetching them).
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 8000,
    rolldownOptions: { checks: QUIET_CHECKS },
  },
  server: {
    // `GRADCAM_API=http://127.0.0.1:8080 npm run dev`: weights API from a running
    // `gradcam-explorer serve`, the app from Vite (hot reload).
    proxy: process.env.GRADCAM_API
      ? { '/api': process.env.GRADCAM_API, '/weights': process.env.GRADCAM_API }
      : undefined,
    headers: {
      // Same isolation as the real server, so threaded wasm behaves alike in `vite dev`.
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
  preview: {
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
}));
