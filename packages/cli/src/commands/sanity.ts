// `gradcam-explorer sanity <image>`: the cascading randomisation test of Adebayo et al. 2018 (core
// `sanityCheck`), its curves as JSON (to a file with --out, else on stdout) and a table.
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import {
  CAM_METHODS,
  findClass,
  getCamMethod,
  imageToInput,
  methodOptionValues,
  sanityCheck,
  type SanityResult,
} from '@gradcam-explorer/core';
import { decodeImageFile } from '../image-io.js';
import { interruptSignal, writeWhole } from '../interrupt.js';
import { UsageError, type Io } from '../io.js';
import type { Reporter } from '../reporter.js';
import { openModel, type ModelOptions } from './common.js';

export interface SanityCliOptions extends ModelOptions {
  class?: string;
  /** Comma-separated method ids. */
  methods: string;
  layer?: string;
  seed: number;
  maxChannels: number;
  out?: string;
}

/** The --methods list, checked against the registry (a usage error names the valid ids). */
export function parseMethods(list: string): string[] {
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError('--methods: give at least one method id');
  const valid = CAM_METHODS.map((m) => m.id);
  const unknown = ids.filter((id) => !valid.includes(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `--methods: unknown method ${unknown.map((u) => `"${u}"`).join(', ')}; valid: ${valid.join(', ')}`,
    );
  }
  return [...new Set(ids)];
}

const fixed = (v: number) => (v >= 0 ? ' ' : '') + v.toFixed(3);

/** The curves as a table: one row per step, Spearman and SSIM per method, then the baselines. */
export function sanityTable(r: SanityResult): string {
  const head = ['step', 'randomised block', 'p(class)'];
  for (const m of r.methods) head.push(`${m} rho`, `${m} SSIM`);
  const rows = r.steps.map((s, i) => [
    String(i),
    s.block ?? '(trained network)',
    `${(s.probability * 100).toFixed(2)}%`,
    ...r.methods.flatMap((m) => [fixed(s.methods[m].spearman), fixed(s.methods[m].ssim)]),
  ]);
  for (const kind of ['unrelatedInputs', 'randomMaps'] as const) {
    rows.push([
      '-',
      kind === 'unrelatedInputs'
        ? `baseline: unrelated inputs (${r.baseline[r.methods[0]].unrelatedInputs.n})`
        : `baseline: random maps (${r.baseline[r.methods[0]].randomMaps.n})`,
      '',
      ...r.methods.flatMap((m) => [
        fixed(r.baseline[m][kind].spearman),
        fixed(r.baseline[m][kind].ssim),
      ]),
    ]);
  }
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** --out must name a file in an existing folder (checked before the slow model load). */
async function checkOutFile(out: string): Promise<string> {
  const path = resolve(out);
  const folder = await stat(dirname(path)).catch(() => null);
  if (!folder?.isDirectory()) {
    throw new UsageError(`--out ${out}: the folder ${dirname(path)} does not exist`);
  }
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(`--out ${out} is a folder; give a file name`);
  return path;
}

export async function sanityCommand(
  image: string,
  opts: SanityCliOptions,
  io: Io,
  reporter: Reporter,
): Promise<number> {
  const methods = parseMethods(opts.methods);
  let classIndex: number | undefined;
  if (opts.class !== undefined) {
    try {
      classIndex = findClass(opts.class).index;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const out = opts.out === undefined ? undefined : await checkOutFile(opts.out);
  const explainer = await openModel(opts, reporter);
  try {
    if (opts.layer !== undefined) {
      const problem = explainer.executor.graph.camProblem(opts.layer);
      if (problem)
        throw new UsageError(
          `--layer: ${problem}. \`gradcam-explorer layers --model ${explainer.spec.id}\` lists the valid layers.`,
        );
    }
    const pixels = await decodeImageFile(image);
    const input = imageToInput(explainer.spec, pixels);
    try {
      if (classIndex === undefined) {
        const a = explainer.analyzeInput(input.clone());
        classIndex = a.top(1)[0].index;
        a.dispose();
      }
      // Score-CAM's --max-channels, for whichever listed method declares it.
      const methodOptions = Object.assign(
        {},
        ...methods.map((m) =>
          methodOptionValues(getCamMethod(m), { maxChannels: opts.maxChannels }),
        ),
      ) as Record<string, number>;
      let started = false;
      const result = await sanityCheck(explainer, input, {
        classIndex,
        methods,
        layer: opts.layer,
        methodOptions,
        seed: opts.seed,
        signal: interruptSignal,
        onProgress: (f) => {
          if (!started) reporter.start(`${basename(image)}: cascading randomisation`, 100);
          started = true;
          reporter.update(Math.round(f * 100));
        },
      });
      reporter.stop();
      const json = JSON.stringify({ image, ...result }, null, 2) + '\n';
      if (out) {
        await writeWhole(out, json);
        io.stdout.write(
          `${image}: ${explainer.spec.name}, "${result.label}" (${result.classIndex}), ` +
            `${result.order.length} blocks randomised from the top -> ${out}\n` +
            sanityTable(result),
        );
      } else {
        io.stdout.write(json);
      }
      return 0;
    } finally {
      input.dispose();
    }
  } finally {
    explainer.dispose();
  }
}
