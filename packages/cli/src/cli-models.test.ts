// The CLI contract for `models` and `layers`: JSON shapes and values, the readable table, exit
// codes. In-process through run(), plus one spawn of the real bin.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '@gradcam-explorer/core/pure';
import { REPO_ROOT } from '../../core/src/testing/node.js';
import { MOBILENET_FILE, MODELS_EXPECTED, useCliSandbox } from './testing/cli-run.js';

const { box, cli } = useCliSandbox();

describe('models', () => {
  it('--json lists every registered network, none cached with an empty cache and no GRADCAM_WEIGHTS_DIR', async () => {
    const r = await cli(['models', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(MODELS_EXPECTED.map((m) => ({ ...m, cached: false })));
    expect(r.stderr).toBe('');
    // One row spelled out: the contract's field names and values, independent of the registry.
    expect(JSON.parse(r.stdout)).toContainEqual({
      id: 'mobilenet_v2',
      name: 'MobileNetV2',
      inputSize: 224,
      defaultLayer: 'out_relu',
      parameters: 3538984,
      weightsFile: MOBILENET_FILE,
      cached: false,
    });
  });

  it('counts a file in GRADCAM_WEIGHTS_DIR as cached (only for that model)', async () => {
    const dir = await mkdtemp(join(box().tmp, 'weights-dir-'));
    await writeFile(join(dir, 'xception_weights_tf_dim_ordering_tf_kernels.h5'), 'x');
    const r = await cli(['models', '--json'], { GRADCAM_WEIGHTS_DIR: dir });
    expect(r.code).toBe(0);
    const cached = (JSON.parse(r.stdout) as { id: string; cached: boolean }[]).map((m) => [
      m.id,
      m.cached,
    ]);
    expect(cached).toEqual(MODELS.map((m) => [m.id, m.id === 'xception']));
  });

  it('prints a readable table without --json', async () => {
    const r = await cli(['models']);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).toThrow();
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(MODELS.length + 1);
    expect(lines[0]).toMatch(/^id\s+name\s+input\s+default layer\s+parameters\s+weights cached$/);
    MODELS.forEach((m, i) => {
      const size = `${m.inputSize}x${m.inputSize}`;
      const params = m.parameters.toLocaleString('en-US');
      expect(lines[i + 1]!.split(/\s+/)).toEqual([
        m.id,
        m.name,
        size,
        m.defaultLayer,
        params,
        'no',
      ]);
    });
    expect(lines).toContainEqual(
      expect.stringMatching(/^mobilenet_v2\s+MobileNetV2\s+224x224\s+out_relu\s+3,538,984\s+no$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^xception\s+Xception\s+299x299\s+block14_sepconv2_act\s+22,910,480\s+no$/,
      ),
    );
  });
});

describe('layers', () => {
  it('--json lists the CAM layers input to output with resolutions, default marked (no weights needed)', async () => {
    const r = await cli(['layers', '--model', 'mobilenet_v2', '--json']);
    expect(r.code).toBe(0);
    const layers = JSON.parse(r.stdout) as Array<{
      name: string;
      height: number;
      width: number;
      channels: number;
      isDefault: boolean;
    }>;
    expect(layers[0]).toMatchObject({ name: 'Conv1', height: 112, width: 112, channels: 32 });
    expect(layers.at(-1)).toMatchObject({
      name: 'out_relu',
      height: 7,
      width: 7,
      channels: 1280,
      isDefault: true,
    });
    expect(layers.filter((l) => l.isDefault)).toHaveLength(1);
    const names = layers.map((l) => l.name);
    expect(names).toContain('block_13_expand_relu');
    expect(names).not.toContain('block_1_pad');
    expect(names).not.toContain('predictions');
  });

  it('an unknown model is bad usage', async () => {
    expect((await cli(['layers', '--model', 'alexnet'])).code).toBe(2);
  });
});

describe('the gradcam-explorer bin', () => {
  const bin = join(REPO_ROOT, 'packages/cli/bin/gradcam-explorer.js');

  beforeAll(() => {
    if (!existsSync(join(REPO_ROOT, 'packages/cli/dist/index.js'))) {
      execFileSync('npx', ['tsc', '-b', 'packages/core', 'packages/cli'], {
        cwd: REPO_ROOT,
        stdio: 'inherit',
      });
    }
  });

  it('runs `models --json` as a separate process', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_CACHE_HOME: box().emptyCache,
      GRADCAM_WEIGHTS_BASE_URL: box().noDownloads,
    };
    delete env.GRADCAM_WEIGHTS_DIR;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [bin, 'models', '--json'],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual(MODELS_EXPECTED.map((m) => ({ ...m, cached: false })));
    expect(stderr).toBe('');
  });
});
