// End-to-end tests: Playwright (playwright-core + the system Chromium) against the served app.
// Run with `npm run test:e2e -w packages/web`; the app is built first (e2e/global-setup.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    // One browser at a time: the machine has two cores and the app uses both.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
