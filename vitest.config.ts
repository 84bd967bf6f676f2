import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@gradcam-explorer\/core$/,
        replacement: fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
      },
      {
        find: /^@gradcam-explorer\/core\/pure$/,
        replacement: fileURLToPath(new URL('./packages/core/src/pure.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    environment: 'node',
    // Tests run in parallel forks on 2 cores: one XNNPACK thread each (see packages/cli/src/runtime.ts).
    env: { GRADCAM_THREADS: '1' },
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
