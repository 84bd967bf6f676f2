// The CLI contract for `explain` with the real MobileNetV2 weights: the JSON entry and its map
// against the Keras reference, the overlay files written, every option, and failed inputs.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRealWeights, SHARED_DIR } from '../../core/src/testing/node.js';
import { decodeImageFile } from './image-io.js';
import {
  checkMap,
  EXPLAIN_KEYS,
  maxAbsDiff,
  realMobileNet,
  rowSum,
  type ExplainEntry,
} from './testing/cli-real-weights.js';
import { MOBILENET_FILE, testImages, useCliSandbox } from './testing/cli-run.js';

const { BOTH, KITE } = testImages(SHARED_DIR);
const real = findRealWeights(MOBILENET_FILE);
const { skipReal, weightsDir, reference } = realMobileNet(real, SHARED_DIR);

const { box, cli } = useCliSandbox();

/** Runs explain with --json into a fresh folder; expects success and one complete entry. */
async function explainOne(
  image: string,
  extra: string[] = [],
): Promise<{ entry: ExplainEntry; out: string; stderr: string }> {
  const out = await mkdtemp(join(box().tmp, 'out-'));
  const r = await cli(['explain', image, '-m', 'mobilenet_v2', '--out', out, '--json', ...extra], {
    GRADCAM_WEIGHTS_DIR: weightsDir,
  });
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  const entries = JSON.parse(r.stdout) as ExplainEntry[];
  expect(entries).toHaveLength(1);
  const entry = entries[0];
  expect(entry.image).toBe(image);
  expect(entry.model).toBe('mobilenet_v2');
  expect(await readdir(out)).toEqual([entry.output.slice(out.length + 1)]);
  return { entry, out, stderr: r.stderr };
}

let defaultRun: Promise<{ entry: ExplainEntry; out: string; stderr: string }> | undefined;
/** `explain both.png` with every default (shared by the tests that compare against it). */
const explainBothDefault = () => (defaultRun ??= explainOne(BOTH));

describe.skipIf(skipReal)('explain with real MobileNetV2 weights', () => {
  it('--json: Grad-CAM of the top class at out_relu, a 7x7 map, an overlay PNG at the image size', async () => {
    const { entry, out, stderr } = await explainBothDefault();
    expect(Object.keys(entry).sort()).toEqual(EXPLAIN_KEYS);
    expect(entry.method).toBe('gradcam');
    expect(entry.layer).toBe('out_relu');
    expect(entry.counterfactual).toBe(false);
    expect(Object.keys(entry.target).sort()).toEqual(['index', 'label', 'probability']);
    expect(entry.target.index).toBe(243);
    expect(entry.target.label).toBe('bull mastiff');
    expect(Math.abs(entry.target.probability - 0.5699)).toBeLessThan(1e-3);
    checkMap(entry, 7);
    // Top row first: the dog is in the upper half of the photo.
    expect(rowSum(entry.map.values, 0)).toBeGreaterThan(rowSum(entry.map.values, 6));
    if (reference) {
      expect(maxAbsDiff(entry.map.values, reference.images.both.gradcam!['243'])).toBeLessThan(
        1e-3,
      );
    }
    expect(entry.output).toBe(join(out, 'both_mobilenet_v2_gradcam_243.png'));
    const png = await decodeImageFile(entry.output);
    expect([png.width, png.height]).toEqual([224, 224]);
    expect(stderr).toContain('Loading MobileNetV2 weights');
  });

  it('--class "tiger cat" and --class 282 both explain class 282', async () => {
    const byLabel = await explainOne(BOTH, ['--class', 'tiger cat']);
    const byIndex = await explainOne(BOTH, ['--class', '282']);
    for (const { entry } of [byLabel, byIndex]) {
      expect(entry.target.index).toBe(282);
      expect(entry.target.label).toBe('tiger cat');
      expect(Math.abs(entry.target.probability - 0.0402)).toBeLessThan(1e-3);
      expect(entry.output).toMatch(/both_mobilenet_v2_gradcam_282\.png$/);
      checkMap(entry, 7);
    }
    expect(byLabel.entry.map).toEqual(byIndex.entry.map);
    // The cat is in the lower half of the photo.
    const v = byIndex.entry.map.values;
    expect(rowSum(v, 6)).toBeGreaterThan(rowSum(v, 0));
    if (reference) {
      expect(maxAbsDiff(v, reference.images.both.gradcam!['282'])).toBeLessThan(1e-3);
    }
    const plain = (await explainBothDefault()).entry;
    expect(maxAbsDiff(v, plain.map.values)).toBeGreaterThan(0.3);
  });

  it('--counterfactual sets counterfactual and gives a different map', async () => {
    const { entry } = await explainOne(BOTH, ['--counterfactual']);
    expect(entry.counterfactual).toBe(true);
    expect(entry.target.index).toBe(243);
    expect(entry.output).toMatch(/both_mobilenet_v2_gradcam_counterfactual_243\.png$/);
    checkMap(entry, 7);
    const plain = (await explainBothDefault()).entry;
    expect(maxAbsDiff(entry.map.values, plain.map.values)).toBeGreaterThan(0.3);
    if (reference) {
      const ref = reference.images.both.counterfactual!['243'];
      expect(maxAbsDiff(entry.map.values, ref)).toBeLessThan(1e-3);
    }
  });

  it('two inputs with the same file name get distinct output files', async () => {
    const out = await mkdtemp(join(box().tmp, 'out-'));
    const r = await cli(['explain', BOTH, BOTH, '-m', 'mobilenet_v2', '--out', out, '--json'], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as ExplainEntry[];
    expect(entries[0].output).not.toBe(entries[1].output);
    expect((await readdir(out)).sort()).toEqual([
      'both_mobilenet_v2_gradcam_243.png',
      'both_mobilenet_v2_gradcam_243_2.png',
    ]);
  });

  it('--layer block_13_expand_relu gives a 14x14 map', async () => {
    const { entry } = await explainOne(BOTH, ['--layer', 'block_13_expand_relu']);
    expect(entry.layer).toBe('block_13_expand_relu');
    checkMap(entry, 14);
    const png = await decodeImageFile(entry.output);
    expect([png.width, png.height]).toEqual([224, 224]);
  });

  it('--method layercam is used and matches the reference', async () => {
    const { entry } = await explainOne(BOTH, ['--method', 'layercam']);
    expect(entry.method).toBe('layercam');
    expect(entry.output).toMatch(/both_mobilenet_v2_layercam_243\.png$/);
    checkMap(entry, 7);
    if (reference) {
      const ref = reference.images.both.methods!['243'].layercam;
      expect(maxAbsDiff(entry.map.values, ref)).toBeLessThan(1e-3);
    }
  });

  it('--colormap jet colours the overlay differently from the default viridis', async () => {
    const viridis = await decodeImageFile((await explainBothDefault()).entry.output);
    const { entry } = await explainOne(BOTH, ['--colormap', 'jet']);
    const jet = await decodeImageFile(entry.output);
    expect([jet.width, jet.height]).toEqual([viridis.width, viridis.height]);
    let differing = 0;
    for (let i = 0; i < jet.data.length; i += 4) {
      if (jet.data[i] !== viridis.data[i] || jet.data[i + 1] !== viridis.data[i + 1]) differing++;
    }
    expect(differing).toBeGreaterThan((jet.width * jet.height) / 2);
  });

  it('--alpha 0 writes the photo itself (text output without --json)', async () => {
    const out = await mkdtemp(join(box().tmp, 'alpha0-'));
    const r = await cli(['explain', BOTH, '-m', 'mobilenet_v2', '--alpha', '0', '--out', out], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(0);
    const output = join(out, 'both_mobilenet_v2_gradcam_243.png');
    expect(r.stdout).toBe(
      `${BOTH}: gradcam for "bull mastiff" (56.99%) at out_relu -> ${output}\n`,
    );
    const [png, photo] = await Promise.all([decodeImageFile(output), decodeImageFile(BOTH)]);
    expect([png.width, png.height]).toEqual([photo.width, photo.height]);
    expect(Buffer.from(png.data).equals(Buffer.from(photo.data))).toBe(true);
  });

  it('--metrics adds deletion and insertion AUCs in [0,1]', async () => {
    const { entry } = await explainOne(BOTH, ['--metrics', '--steps', '4']);
    expect(Object.keys(entry).sort()).toEqual([...EXPLAIN_KEYS, 'metrics'].sort());
    const m = entry.metrics!;
    expect(m.steps).toBe(4);
    for (const auc of [m.deletion.auc, m.insertion.auc]) {
      expect(typeof auc).toBe('number');
      expect(auc).toBeGreaterThanOrEqual(0);
      expect(auc).toBeLessThanOrEqual(1);
    }
    // A faithful map: deleting its hot pixels first hurts the class more than inserting them helps.
    expect(m.deletion.auc).toBeLessThan(m.insertion.auc);
  });

  it('--json gives the computation steps: channel weights, top channels, weighted sum', async () => {
    const c = (await explainBothDefault()).entry.computation;
    expect(Object.keys(c).sort()).toEqual(
      ['activationShape', 'channelWeights', 'rawMax', 'topChannels', 'weightedSum'].sort(),
    );
    expect(c.activationShape).toEqual([7, 7, 1280]);
    const w = c.channelWeights!;
    expect(w.count).toBe(1280);
    expect(w.positive).toBeGreaterThan(0);
    expect(w.positive).toBeLessThan(1280);
    expect(w.min).toBeLessThan(0);
    expect(w.max).toBeGreaterThan(0);
    // Six channels, largest contribution alpha_k * mean(A_k) first.
    const top = c.topChannels!;
    expect(top).toHaveLength(6);
    for (const [i, t] of top.entries()) {
      expect(t.alpha).toBeGreaterThanOrEqual(w.min);
      expect(t.alpha).toBeLessThanOrEqual(w.max);
      expect(t.contribution).toBeCloseTo(t.alpha * t.mean, 6);
      if (i > 0) expect(t.contribution).toBeLessThanOrEqual(top[i - 1].contribution);
    }
    expect(top[0].contribution).toBeGreaterThan(0);
    expect(new Set(top.map((t) => t.index)).size).toBe(6);
    // The map is ReLU(weighted sum) divided by its maximum: that maximum is the sum's maximum.
    expect(c.weightedSum!.min).toBeLessThan(0);
    expect(c.rawMax!).toBeCloseTo(c.weightedSum!.max, 4);
  });

  it('--json steps of a map without channel weights, and of Score-CAM with its channel count', async () => {
    const { entry } = await explainOne(BOTH, ['--method', 'hirescam']);
    expect(Object.keys(entry.computation).sort()).toEqual(['activationShape', 'rawMax']);
    const score = await explainOne(BOTH, ['--method', 'scorecam', '--max-channels', '4']);
    const c = score.entry.computation;
    expect(c.channelsScored).toBe(4);
    // Softmax weights over the 4 scored channels; the other 1276 get weight 0.
    expect(c.channelWeights).toMatchObject({ count: 1280, positive: 4, min: 0 });
    expect(c.topChannels!.filter((t) => t.alpha > 0).length).toBeLessThanOrEqual(4);
  });

  it('--hide with --counterfactual hides what argues against the class: its probability rises', async () => {
    const { entry } = await explainOne(BOTH, ['--counterfactual', '--hide', '0.5']);
    expect(Object.keys(entry).sort()).toEqual([...EXPLAIN_KEYS, 'hide'].sort());
    const h = entry.hide!;
    expect(h.threshold).toBe(0.5);
    expect(h.hidden).toBeGreaterThan(0);
    expect(h.hidden).toBeLessThan(1);
    expect(h.before.probability).toBe(entry.target.probability);
    expect(h.after.probability).toBeGreaterThan(h.before.probability);
    expect(Object.keys(h.top).sort()).toEqual(['index', 'label', 'probability']);
  });

  it('--hide on the plain map hides the evidence: the class falls (text output)', async () => {
    const out = await mkdtemp(join(box().tmp, 'hide-'));
    const r = await cli(['explain', BOTH, '-m', 'mobilenet_v2', '--hide', '0.3', '--out', out], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/gradcam for "bull mastiff" \(56\.99%\)/);
    const m =
      /^ {2}hiding the map above 0\.3 \((\d+\.\d\d)% of the pixels\): "bull mastiff" 56\.99% -> (\d+\.\d\d)% \(falls\), logit -?\d+\.\d\d -> -?\d+\.\d\d \((rises|falls|unchanged)\); top-1 now "[^"]+" \(\d+\.\d\d%\)$/.exec(
        lines[1],
      );
    expect(m, lines[1]).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![2])).toBeLessThan(56.99);
  });

  it('an invalid --layer is bad usage (exit 2), and nothing is written', async () => {
    for (const layer of ['predictions', 'no_such_layer']) {
      const out = join(box().tmp, `bad-layer-${layer}`);
      const r = await cli(
        ['explain', BOTH, '-m', 'mobilenet_v2', '--layer', layer, '--out', out, '--json'],
        {
          GRADCAM_WEIGHTS_DIR: weightsDir,
        },
      );
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^error: --layer: .*"${layer}"`, 'm'));
      expect(existsSync(out)).toBe(false);
    }
  });

  it('failed inputs become {image, error} entries (exit 1); the good ones are still explained', async () => {
    const notes = join(box().tmp, 'notes.jpg');
    await writeFile(notes, 'meeting notes, not a photo\n');
    const missing = join(box().tmp, 'no-such-photo.png');
    const out = await mkdtemp(join(box().tmp, 'mixed-'));
    const r = await cli(
      ['explain', BOTH, notes, missing, KITE, '-m', 'mobilenet_v2', '--out', out, '--json'],
      { GRADCAM_WEIGHTS_DIR: weightsDir },
    );
    expect(r.code).toBe(1);
    const entries = JSON.parse(r.stdout) as (ExplainEntry | { image: string; error: string })[];
    expect(entries.map((e) => e.image)).toEqual([BOTH, notes, missing, KITE]);
    expect(entries[1]).toEqual({
      image: notes,
      error: `Cannot decode image "${notes}": not an image, or not in a supported format (JPEG, PNG, BMP, WebP, GIF)`,
    });
    expect(entries[2]).toEqual({
      image: missing,
      error: expect.stringMatching(
        /^Cannot decode image ".*no-such-photo\.png": cannot read the file \(ENOENT/,
      ),
    });
    expect(r.stderr).toContain(`error: ${notes}: `);
    expect(r.stderr).toContain(`error: ${missing}: `);
    expect(r.stderr).not.toContain(`error: ${BOTH}`);
    expect(r.stderr).not.toContain(`error: ${KITE}`);

    const good = [entries[0], entries[3]] as ExplainEntry[];
    for (const e of good) {
      expect(Object.keys(e).sort()).toEqual(EXPLAIN_KEYS);
      checkMap(e, 7);
    }
    expect(good[0].target.index).toBe(243);
    expect(good[0].output).toBe(join(out, 'both_mobilenet_v2_gradcam_243.png'));
    expect(good[1].output).toMatch(/kite_and_cold_mobilenet_v2_gradcam_\d+\.png$/);
    expect((await readdir(out)).sort()).toEqual(
      good.map((e) => e.output.slice(out.length + 1)).sort(),
    );
    const [bothPng, kitePng] = await Promise.all(good.map((e) => decodeImageFile(e.output)));
    expect([bothPng.width, bothPng.height]).toEqual([224, 224]);
    expect([kitePng.width, kitePng.height]).toEqual([1352, 900]);
  });
});
