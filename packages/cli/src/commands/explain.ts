import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import {
  channelsUsed,
  computationSteps,
  faithfulness,
  findClass,
  getCamMethod,
  getColormap,
  heatGrid,
  hideAndPredict,
  methodOptionValues,
  overlay,
  resizeRgba,
  saliencyToRgba,
  upsampleBilinear,
  type Baseline,
  type Colormap,
  type ComputationSteps,
  type Explanation,
  type HideResult,
  type RgbaImage,
} from '@gradcam-explorer/core';
import { decodeImageFile, writePng } from '../image-io.js';
import { UsageError, type Io } from '../io.js';
import type { Reporter } from '../reporter.js';
import { forEachImage, openAnyModel, resolveClass, type AnyModelOptions } from './common.js';

export interface ExplainCliOptions extends AnyModelOptions {
  class?: string;
  method: string;
  counterfactual?: boolean;
  layer?: string;
  colormap: string;
  alpha: number;
  out: string;
  metrics?: boolean;
  baseline: Baseline;
  steps: number;
  maxChannels: number;
  /** Hide the regions the map marks above this value and classify again. */
  hide?: number;
}

/**
 * The picture to write, at the image's own size: the heatmap over the photo for layer maps; the
 * gradient image itself (pytorch-grad-cam's deprocessing) for pixel-level saliency methods.
 */
function render(e: Explanation, image: RgbaImage, cmap: Colormap, alpha: number): RgbaImage {
  const o = e.output;
  if (o.kind === 'saliency') {
    return resizeRgba(saliencyToRgba(o.rgb, o.width, o.height), image.width, image.height);
  }
  const heat = upsampleBilinear(o.values, o.height, o.width, image.height, image.width);
  return { width: image.width, height: image.height, data: overlay(image, heat, cmap, alpha).data };
}

function rows(values: Float32Array, width: number, height: number): number[][] {
  return Array.from({ length: height }, (_, r) =>
    Array.from(values.subarray(r * width, (r + 1) * width)),
  );
}

/**
 * The computation steps for --json, compact: shapes, a summary of the channel weights, the top
 * channels with their alpha, mean activation and contribution, the weighted sum's range.
 */
function computationJson(steps: ComputationSteps, e: Explanation, channelsScored?: number) {
  const w = steps.channelWeights;
  let min = Infinity;
  let max = -Infinity;
  let positive = 0;
  for (const v of w ?? []) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (v > 0) positive++;
  }
  return {
    activationShape: steps.activationShape,
    ...(channelsScored !== undefined ? { channelsScored } : {}),
    ...(w ? { channelWeights: { count: w.length, positive, min, max } } : {}),
    ...(steps.topChannels
      ? {
          topChannels: steps.topChannels.map((c) => ({
            index: c.index,
            alpha: c.weight,
            mean: c.mean,
            contribution: c.contribution,
          })),
        }
      : {}),
    ...(steps.rawMap ? { weightedSum: { min: steps.rawMin!, max: steps.rawMaxSigned! } } : {}),
    ...(e.output.kind === 'layer' ? { rawMax: e.output.rawMax } : {}),
  };
}

/** --hide for JSON: the target before and after, the share hidden, the new top-1. */
function hideJson(h: HideResult) {
  const score = (p: HideResult['before']) => ({ probability: p.probability, logit: p.logit });
  return {
    threshold: h.threshold,
    hidden: h.hidden,
    before: score(h.before),
    after: score(h.after),
    top: { index: h.top.index, label: h.top.label, probability: h.top.probability },
  };
}

const percent = (p: number) => `${(p * 100).toFixed(2)}%`;
const trend = (before: number, after: number) =>
  after > before ? 'rises' : after < before ? 'falls' : 'unchanged';

function hideText(h: HideResult): string {
  const { before: b, after: a } = h;
  return (
    `  hiding the map above ${h.threshold} (${percent(h.hidden)} of the pixels): "${b.label}" ` +
    `${percent(b.probability)} -> ${percent(a.probability)} (${trend(b.probability, a.probability)}), ` +
    `logit ${b.logit.toFixed(2)} -> ${a.logit.toFixed(2)} (${trend(b.logit, a.logit)}); ` +
    `top-1 now "${h.top.label}" (${percent(h.top.probability)})\n`
  );
}

export async function explainCommand(
  images: string[],
  opts: ExplainCliOptions,
  io: Io,
  reporter: Reporter,
): Promise<number> {
  let classIndex: number | undefined;
  // ImageNet classes are checked before the (slow) load; a model file's labels after it.
  if (opts.class !== undefined && opts.modelFile === undefined) {
    try {
      classIndex = findClass(opts.class).index;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const cmap = getColormap(opts.colormap);
  await checkOutputFolder(opts.out);
  const explainer = await openAnyModel(opts, reporter);
  try {
    if (opts.class !== undefined && classIndex === undefined) {
      classIndex = resolveClass(explainer, opts.class);
    }
    if (opts.layer !== undefined) {
      const problem = explainer.executor.graph.camProblem(opts.layer);
      const which =
        opts.modelFile === undefined
          ? `--model ${explainer.profile.id}`
          : `--model-file ${opts.modelFile}`;
      if (problem)
        throw new UsageError(
          `--layer: ${problem}. \`gradcam-explorer layers ${which}\` lists the valid layers.`,
        );
    }
    await mkdir(opts.out, { recursive: true });
    const written = new Set<string>();
    return await forEachImage(images, io, reporter, opts.json, async (image) => {
      const pixels = await decodeImageFile(image);
      const analysis = explainer.analyze(pixels);
      try {
        // A progress bar per long step (Score-CAM, guided methods, metrics), started on first report.
        const progress = (label: string) => {
          let started = false;
          return (f: number) => {
            if (!started) reporter.start(`${basename(image)}: ${label}`, 100);
            started = true;
            reporter.update(Math.round(f * 100));
          };
        };
        // The options the method declares, from the flags of the same name (--max-channels).
        const method = getCamMethod(opts.method);
        const methodOptions = methodOptionValues(method, { maxChannels: opts.maxChannels });
        const e = await analysis.explain({
          method: opts.method,
          classIndex,
          counterfactual: opts.counterfactual ?? false,
          layer: opts.layer,
          methodOptions,
          onProgress: progress(opts.method),
        });
        const tag = [
          explainer.profile.id,
          e.method,
          e.counterfactual ? 'counterfactual' : null,
          e.target.index,
        ]
          .filter((x) => x !== null)
          .join('_');
        // Two inputs with the same name (a/photo.jpg, b/photo.jpg) must not overwrite each other.
        const stem = resolve(join(opts.out, `${basename(image, extname(image))}_${tag}`));
        let output = `${stem}.png`;
        for (let n = 2; written.has(output); n++) output = `${stem}_${n}.png`;
        written.add(output);
        await writePng(output, render(e, pixels, cmap, opts.alpha));
        // The metrics object is plain data (curves, AUCs, confidence change): it goes to JSON as is.
        const metrics = opts.metrics
          ? await faithfulness(analysis, e.output, {
              classIndex: e.target.index,
              baseline: opts.baseline,
              steps: opts.steps,
              onProgress: progress('faithfulness'),
            })
          : undefined;
        reporter.stop();
        const steps = computationSteps(analysis.activations(e.layer), e.output);
        const channels = channelsUsed(method, methodOptions, steps.activationShape[2]);
        const hidden =
          opts.hide === undefined
            ? undefined
            : hideAndPredict(analysis, heatGrid(e.output), e.target.index, opts.hide);
        const o = e.output;
        const values = o.kind === 'layer' ? o.values : o.magnitude;
        const result = {
          image,
          model: explainer.profile.id,
          method: e.method,
          layer: e.layer,
          counterfactual: e.counterfactual,
          target: {
            index: e.target.index,
            label: e.target.label,
            probability: e.target.probability,
          },
          map: { width: o.width, height: o.height, values: rows(values, o.width, o.height) },
          output,
          computation: computationJson(steps, e, channels),
          ...(metrics ? { metrics } : {}),
          ...(hidden ? { hide: hideJson(hidden) } : {}),
        };
        const text =
          `${image}: ${e.counterfactual ? 'counterfactual ' : ''}${e.method} for "${e.target.label}" ` +
          `(${(e.target.probability * 100).toFixed(2)}%) at ${e.layer} -> ${output}\n` +
          (metrics
            ? `  deletion AUC ${metrics.deletion.auc.toFixed(3)} (lower is better), insertion AUC ${metrics.insertion.auc.toFixed(3)} (higher is better)\n`
            : '') +
          (hidden ? hideText(hidden) : '');
        return { result, text };
      } finally {
        analysis.dispose();
      }
    });
  } finally {
    explainer.dispose();
  }
}

/**
 * Checks, before the (slow) model load and without creating anything, that --out is a folder or can
 * become one: a usage error otherwise.
 */
async function checkOutputFolder(out: string): Promise<void> {
  const wanted = resolve(out);
  for (let p = wanted; ; p = dirname(p)) {
    try {
      if ((await stat(p)).isDirectory()) return;
      const why = p === wanted ? 'is a file, not a folder' : `cannot be created: ${p} is a file`;
      throw new UsageError(`--out ${out} ${why}; give a folder (it is created when missing)`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (dirname(p) === p) return; // Nothing exists up to the root: mkdir will say why.
    }
  }
}
