// `npm run bench`: forward pass vs Grad-CAM (and every CAM method) per architecture, on the wasm
// backend this CLI uses, with random weights (timing does not depend on the values). Every ratio
// compares numbers measured in the same run, interleaved, so machine noise affects both sides.
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, CAM_METHODS, Explainer, MODELS, type ModelSpec } from '@gradcam-explorer/core';
import { initNodeBackend, threadCount } from '../runtime.js';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';

interface Args {
  models: string[];
  methods: string[];
  runs: number;
  fullScoreCam: boolean;
  /** Only the all-channel Score-CAM row (MobileNetV2), besides --methods. */
  scoreCamAll: boolean;
  profile: boolean;
  /** Also time tfjs-layers' predict (off for bench:peer, so that peak RSS is the engine's). */
  predict: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    models: (get('models') ?? MODELS.map((m) => m.id).join(',')).split(','),
    methods: (get('methods') ?? CAM_METHODS.map((m) => m.id).join(',')).split(','),
    runs: Number(get('runs') ?? 5),
    fullScoreCam: !argv.includes('--quick'),
    scoreCamAll: argv.includes('--scorecam-all'),
    profile: argv.includes('--profile'),
    predict: !argv.includes('--no-predict'),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function time(f: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells
    .map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
    .join('  ');
}

/** Per-kernel time of one run of each of `runs` (tf.profile; wasm kernels are timed synchronously). */
async function printProfile(id: string, ...runs: (() => Promise<void>)[]): Promise<void> {
  for (const [i, run] of runs.entries()) {
    const info = await tf.profile(run);
    const by = new Map<string, { n: number; ms: number }>();
    let total = 0;
    for (const k of info.kernels) {
      if (k.name.endsWith('__op') || k.name === 'forward') continue; // op wrappers: counted inside
      const ms = Number(await k.kernelTimeMs) || 0;
      total += ms;
      const e = by.get(k.name) ?? { n: 0, ms: 0 };
      e.n += 1;
      e.ms += ms;
      by.set(k.name, e);
    }
    const what = i === 0 ? 'forward pass' : 'Grad-CAM from a new image';
    console.log(`\n${id}, ${what}: kernels ${total.toFixed(1)} ms in all`);
    for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms)) {
      console.log(
        `  ${name.padEnd(24)} ${String(e.n).padStart(4)} x  ${e.ms.toFixed(1).padStart(7)} ms`,
      );
    }
  }
}

async function benchModel(spec: ModelSpec, args: Args): Promise<string[][]> {
  const t0 = performance.now();
  const model = buildModel(spec);
  const explainer = new Explainer(spec, model);
  const s = spec.inputSize;
  const input = tf.randomUniform([1, s, s, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  process.stderr.write(
    `${spec.name}: built in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );

  // The engine's forward pass (compiled graph): the baseline every ratio divides by.
  const forward = async () => {
    const { logits } = explainer.executor.forward(input);
    await logits.data();
    logits.dispose();
  };
  // tfjs-layers' own predict, layer by layer: what the compiled graph replaces.
  const predict = async () => {
    const y = model.predict(input) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  // Prediction + explanation from scratch, as the CLI and a new image in the UI pay it.
  const explainFresh =
    (method: string, options: Record<string, number> = {}) =>
    async () => {
      const a = explainer.analyzeInput(tf.clone(input));
      try {
        await a.explain({ method, methodOptions: options });
      } finally {
        a.dispose();
      }
    };
  // Warm-up (kernels, weights upload, folded constants).
  await forward();
  if (args.predict) await predict();
  await explainFresh('gradcam')();
  await forward();
  if (args.profile) await printProfile(spec.id, forward, explainFresh('gradcam'));

  const rows: string[][] = [];
  const heavy = (id: string) => id === 'scorecam';
  let leaked = 0;
  for (const method of args.methods) {
    const isHeavy = heavy(method);
    const runs = isHeavy ? 1 : args.runs;
    // One untimed run first: a method's first use may cache constants (e.g. folded batch norms).
    if (!isHeavy) await explainFresh(method)();
    const before = tf.memory().numTensors;
    const f: number[] = [];
    const m: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < runs; i++) {
      f.push(await time(forward));
      m.push(await time(explainFresh(method)));
      if (!isHeavy && args.predict) p.push(await time(predict));
    }
    if (isHeavy) f.push(await time(forward));
    const fm = median(f);
    const mm = median(m);
    leaked += tf.memory().numTensors - before;
    const pm = p.length > 0 ? median(p).toFixed(0) : '';
    rows.push([
      spec.id,
      method,
      fm.toFixed(0),
      mm.toFixed(0),
      (mm / fm).toFixed(2),
      String(runs),
      pm,
    ]);
    process.stderr.write(`  ${method}: ${mm.toFixed(0)} ms (forward ${fm.toFixed(0)} ms)\n`);
  }
  const allChannels = args.scoreCamAll || (args.fullScoreCam && args.methods.includes('scorecam'));
  if (allChannels && spec.id === 'mobilenet_v2') {
    const k = explainer.camLayers().find((l) => l.isDefault)!.channels;
    const fm = median([await time(forward), await time(forward), await time(forward)]);
    const mm = await time(explainFresh('scorecam', { maxChannels: 0 }));
    rows.push([
      spec.id,
      `scorecam (all ${k} ch)`,
      fm.toFixed(0),
      mm.toFixed(0),
      (mm / fm).toFixed(1),
      '1',
      '',
    ]);
  }
  if (leaked !== 0) process.stderr.write(`  WARNING: ${leaked} tensors leaked\n`);
  input.dispose();
  explainer.dispose();
  return rows;
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const backend = await initNodeBackend(threadCount());
  process.stderr.write(
    `Backend: ${backend}, ${getThreadsCount()} XNNPACK thread(s) (set GRADCAM_THREADS to change), ` +
      `Node ${process.version}; median of ${args.runs} interleaved runs after warm-up\n`,
  );
  const header = ['model', 'method', 'forward ms', 'method ms', 'ratio', 'runs', 'predict ms'];
  const all: string[][] = [];
  for (const id of args.models) {
    const spec = MODELS.find((m) => m.id === id);
    if (!spec) throw new Error(`unknown model ${id}`);
    all.push(...(await benchModel(spec, args)));
  }
  const widths = header.map((h, i) => Math.max(h.length, ...all.map((r) => r[i].length)));
  console.log(row(header, widths));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of all) console.log(row(r, widths));
  console.log(
    "\nratio = (prediction + explanation from a new image) / the engine's forward pass (compiled graph), same run." +
      '\npredict ms = the same forward pass layer by layer through tfjs-layers (model.predict), same run.',
  );
  process.stderr.write(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
