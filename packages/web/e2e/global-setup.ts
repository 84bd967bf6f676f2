// Builds packages/web/dist before the e2e tests (the server serves the build, not the sources),
// unless GRADCAM_WEB_URL points at an already running app or GRADCAM_E2E_SKIP_BUILD=1. The build
// runs in its own process, exactly as `npm run build -w packages/web` (not with Vitest's env).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env.GRADCAM_WEB_URL || process.env.GRADCAM_E2E_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const pkg = createRequire(import.meta.url).resolve('vite/package.json');
  const vite = join(dirname(pkg), 'bin', 'vite.js');
  const env = { ...process.env };
  delete env.NODE_ENV;
  delete env.VITEST;
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}
