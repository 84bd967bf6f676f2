import { mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import {
  findClass,
  getColormap,
  overlay,
  upsampleBilinear,
  type Explanation,
  type RgbaImage,
} from '@gradcam-explorer/core';
import { decodeImageFile, writePng } from '../image-io.js';
import { UsageError, type Io } from '../index.js';
import type { Reporter } from '../reporter.js';
import { forEachImage, openModel, type ModelOptions } from './common.js';

export interface ExplainCliOptions extends ModelOptions {
  class?: string;
  method: string;
  counterfactual?: boolean;
  layer?: string;
  colormap: string;
  alpha: number;
  out: string;
}

/** The map at the image's own size, for the overlay. */
function mapAtImageSize(e: Explanation, image: RgbaImage): Float32Array {
  const o = e.output;
  const values = o.kind === 'layer' ? o.values : o.magnitude;
  return upsampleBilinear(values, o.height, o.width, image.height, image.width);
}

function rows(values: Float32Array, width: number, height: number): number[][] {
  return Array.from({ length: height }, (_, r) =>
    Array.from(values.subarray(r * width, (r + 1) * width)),
  );
}

export async function explainCommand(
  images: string[],
  opts: ExplainCliOptions,
  io: Io,
  reporter: Reporter,
): Promise<number> {
  let classIndex: number | undefined;
  if (opts.class !== undefined) {
    try {
      classIndex = findClass(opts.class).index;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const cmap = getColormap(opts.colormap);
  const explainer = await openModel(opts, reporter);
  try {
    if (opts.layer !== undefined) {
      const problem = explainer.executor.graph.camProblem(opts.layer);
      if (problem)
        throw new UsageError(
          `--layer: ${problem}. Run with --json on "models" or see the README for layer names.`,
        );
    }
    await mkdir(opts.out, { recursive: true });
    return await forEachImage(images, io, reporter, opts.json, async (image) => {
      const pixels = await decodeImageFile(image);
      const analysis = explainer.analyze(pixels);
      try {
        const e = await analysis.explain({
          method: opts.method,
          classIndex,
          counterfactual: opts.counterfactual ?? false,
          layer: opts.layer,
        });
        const heat = mapAtImageSize(e, pixels);
        const tag = [
          explainer.spec.id,
          e.method,
          e.counterfactual ? 'counterfactual' : null,
          e.target.index,
        ]
          .filter((x) => x !== null)
          .join('_');
        const output = resolve(join(opts.out, `${basename(image, extname(image))}_${tag}.png`));
        await writePng(output, overlay(pixels, heat, cmap, opts.alpha));
        const o = e.output;
        const values = o.kind === 'layer' ? o.values : o.magnitude;
        const result = {
          image,
          model: explainer.spec.id,
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
        };
        const text =
          `${image}: ${e.counterfactual ? 'counterfactual ' : ''}${e.method} for "${e.target.label}" ` +
          `(${(e.target.probability * 100).toFixed(2)}%) at ${e.layer} -> ${output}\n`;
        return { result, text };
      } finally {
        analysis.dispose();
      }
    });
  } finally {
    explainer.dispose();
  }
}
