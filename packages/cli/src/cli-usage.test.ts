// The CLI contract for mistakes: bad usage exits with 2 before any weights are needed, weights
// problems exit with 1 and say what to do; stdout stays empty and nothing is written.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR } from '../../core/src/testing/node.js';
import { filesUnder, testImages, useCliSandbox } from './testing/cli-run.js';

const { BOTH } = testImages(SHARED_DIR);

const { box, cli } = useCliSandbox();

describe('bad usage exits with 2 and prints nothing on stdout', () => {
  // All of these are rejected before any weights are needed (downloads are impossible here, and
  // there are no weights: reaching the network would give exit code 1, not 2).
  const cases: [string, string[], RegExp][] = [
    ['unknown model id', ['classify', BOTH, '--model', 'nope'], /'nope' is invalid.*mobilenet_v2/],
    [
      'missing --model (classify)',
      ['classify', BOTH],
      /give a network \(--model <id>\) or your own/,
    ],
    ['missing --model (explain)', ['explain', BOTH], /give a network \(--model <id>\) or your own/],
    ['--top 0', ['classify', BOTH, '-m', 'mobilenet_v2', '--top', '0'], /--top.*'0' is invalid/],
    ['--top 1.5', ['classify', BOTH, '-m', 'mobilenet_v2', '--top', '1.5'], /--top.*invalid/],
    [
      'unknown colormap',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--colormap', 'nope'],
      /'nope' is invalid.*viridis/,
    ],
    [
      '--alpha 2',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--alpha', '2'],
      /--alpha.*'2' is invalid/,
    ],
    ['--alpha -0.1', ['explain', BOTH, '-m', 'mobilenet_v2', '--alpha=-0.1'], /--alpha.*invalid/],
    [
      'unknown method',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--method', 'nope'],
      /'nope' is invalid.*gradcam/,
    ],
    [
      'unknown class label',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--class', 'no such animal'],
      /No ImageNet class 'no such animal'/,
    ],
    [
      'class index out of range',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--class', '1000'],
      /1000/,
    ],
    [
      'ambiguous class label',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--class', 'crane'],
      /'crane' is ambiguous: 134 'crane'; 517 'crane'/,
    ],
    ['empty class', ['explain', BOTH, '-m', 'mobilenet_v2', '--class', ''], /Empty ImageNet class/],
    // Number('') is 0: a blank value must be rejected, not read as 0.
    ['blank --alpha', ['explain', BOTH, '-m', 'mobilenet_v2', '--alpha', ''], /--alpha.*invalid/],
    [
      'blank --max-channels',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--max-channels', ' '],
      /--max-channels.*invalid/,
    ],
    ['--hide 2', ['explain', BOTH, '-m', 'mobilenet_v2', '--hide', '2'], /--hide.*'2' is invalid/],
    ['blank --hide', ['explain', BOTH, '-m', 'mobilenet_v2', '--hide', ''], /--hide.*invalid/],
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}`, async () => {
      const r = await cli([...args, '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/error/);
      expect(r.stderr).toMatch(message);
    });
  }
});

describe('weights problems exit with 1 and a clear message', () => {
  it('a missing weights file with downloads impossible tells the user what to do, and caches nothing', async () => {
    const cache = await mkdtemp(join(box().tmp, 'cache-'));
    const r = await cli(['classify', BOTH, '--model', 'resnet50', '--json'], {
      XDG_CACHE_HOME: cache,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('resnet50_weights_tf_dim_ordering_tf_kernels.h5');
    expect(r.stderr).toContain(box().noDownloads);
    expect(r.stderr).toMatch(/appears to be offline/);
    expect(r.stderr).toContain('GRADCAM_WEIGHTS_DIR');
    expect(r.stderr).toContain('--weights');
    expect(await filesUnder(cache)).toEqual([]);
  });

  it('a --weights file that is not HDF5 is named in the error; nothing is written', async () => {
    const bad = join(box().tmp, 'random.h5');
    await writeFile(bad, randomBytes(4096));
    const out = join(box().tmp, 'bad-weights-out');
    const r = await cli([
      'explain',
      BOTH,
      '-m',
      'mobilenet_v2',
      '--weights',
      bad,
      '--out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*random\.h5.*HDF5/m);
    expect(existsSync(out)).toBe(false);
  });

  it('a --weights file that does not exist is named in the error', async () => {
    const missing = join(box().tmp, 'no-such-weights.h5');
    const r = await cli(['classify', BOTH, '-m', 'mobilenet_v2', '--weights', missing, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: Weights file not found: ${missing}`);
  });
});
