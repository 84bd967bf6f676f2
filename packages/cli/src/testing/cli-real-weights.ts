// Test helper for the CLI tests with the real MobileNetV2 weights (cli-classify, cli-explain):
// whether they can run, the Keras reference values, and the shapes and checks of the JSON output.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { testImages } from './cli-run.js';

interface Reference {
  images: Record<
    string,
    {
      top5: { index: number; label: string; probability: number }[];
      gradcam?: Record<string, number[][]>;
      counterfactual?: Record<string, number[][]>;
      methods?: Record<string, Record<string, number[][]>>;
    }
  >;
}

/**
 * What the real-weights tests need: `real` from findRealWeights(MOBILENET_FILE) and SHARED_DIR
 * (core/src/testing/node.ts). Warns when the tests will be skipped or the reference is missing.
 */
export function realMobileNet(real: { path: string | null; why: string }, sharedDir: string) {
  const { IMAGES, BOTH, CAT, KITE } = testImages(sharedDir);
  const haveImages = existsSync(BOTH) && existsSync(CAT) && existsSync(KITE);
  const skipReal = !real.path || !haveImages;
  if (skipReal) {
    console.warn(
      `Skipping CLI tests with real MobileNetV2 weights: ${real.why || `no test photos in ${IMAGES}`}`,
    );
  }
  const weightsDir = real.path ? dirname(real.path) : '';
  const referencePath = join(sharedDir, 'reference', 'mobilenet_v2.json');
  // both.png has the same pixels as reference/both_224.png, so the reference maps apply to it.
  const reference: Reference | null = existsSync(referencePath)
    ? (JSON.parse(readFileSync(referencePath, 'utf8')) as Reference)
    : null;
  if (!skipReal && !reference) {
    console.warn(`CLI tests: no ${referencePath}; maps are not compared with the reference`);
  }
  return { skipReal, weightsDir, reference };
}

export interface Prediction {
  index: number;
  label: string;
  probability: number;
}
export interface ExplainEntry {
  image: string;
  model: string;
  method: string;
  layer: string;
  counterfactual: boolean;
  target: Prediction;
  map: { width: number; height: number; values: number[][] };
  output: string;
  metrics?: {
    steps: number;
    deletion: { auc: number };
    insertion: { auc: number };
  };
  computation: {
    activationShape: [number, number, number];
    channelsScored?: number;
    channelWeights?: { count: number; positive: number; min: number; max: number };
    topChannels?: { index: number; alpha: number; mean: number; contribution: number }[];
    weightedSum?: { min: number; max: number };
    rawMax?: number;
  };
  hide?: {
    threshold: number;
    hidden: number;
    before: { probability: number; logit: number };
    after: { probability: number; logit: number };
    top: Prediction;
  };
}
export const EXPLAIN_KEYS = [
  'computation',
  'counterfactual',
  'image',
  'layer',
  'map',
  'method',
  'model',
  'output',
  'target',
];

/** Checks the map contract: `height` rows of `width` numbers in [0,1], max exactly 1. */
export function checkMap(entry: ExplainEntry, size: number): void {
  const { width, height, values } = entry.map;
  expect([width, height]).toEqual([size, size]);
  expect(values).toHaveLength(size);
  for (const row of values) {
    expect(row).toHaveLength(size);
    for (const v of row) {
      expect(typeof v).toBe('number');
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  }
  expect(Math.max(...values.flat())).toBe(1);
}

export function rowSum(values: number[][], r: number): number {
  return values[r].reduce((a, b) => a + b, 0);
}

export function maxAbsDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  a.forEach((row, r) => {
    expect(row.length).toBe(b[r].length);
    row.forEach((v, c) => (d = Math.max(d, Math.abs(v - b[r][c]))));
  });
  return d;
}
