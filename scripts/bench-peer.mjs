// `npm run bench:peer`: this engine's Grad-CAM beside pytorch-grad-cam's on the same machine, in one
// run, interleaved (peer, ours, peer) so that machine noise hits both. Needs Debian's python3 with
// torch; not part of CI. The peer and its timing script are in ../shared/peerbench (never copied).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const shared = process.env.GRADCAM_SHARED_DIR ?? resolve(root, '..', 'shared');
const script = join(shared, 'peerbench', 'bench.py');
const python = '/usr/bin/python3';
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const models = arg('models', 'resnet50,mobilenet_v2,vgg16').split(',');
const runs = arg('runs', '7');
// --scorecam: also a full 1280-channel Score-CAM on MobileNetV2 (about 2 minutes more).
const scorecam = process.argv.includes('--scorecam') && models.includes('mobilenet_v2');

if (!existsSync(script)) {
  console.error(`bench:peer: ${script} not found (set GRADCAM_SHARED_DIR to the shared folder).`);
  process.exit(1);
}
if (spawnSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status !== 0) {
  console.error(
    `bench:peer needs torch for ${python}. Install Debian's packages:\n` +
      '  apt-get install -y python3-torch python3-torchvision python3-opencv python3-tqdm python3-sklearn',
  );
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'gradcam-bench-peer-'));
function peer(n) {
  const out = join(dir, `peer${n}.json`);
  process.stderr.write(`pytorch-grad-cam, run ${n}...\n`);
  const r = spawnSync(
    python,
    [script, '--models', models.join(','), '--only', scorecam ? 'forward,gradcam,scorecam' : 'forward,gradcam',
      '--no-coldstart', '--runs', runs, '--json', out],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: dir },
  ); // prettier-ignore
  if (r.status !== 0) throw new Error(`bench.py exited with ${r.status}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}
function ours() {
  process.stderr.write('this engine...\n');
  const bench = join(root, 'packages/cli/dist/bench/engine-bench.js');
  const r = spawnSync(
    process.execPath,
    [
      bench,
      '--models',
      models.join(','),
      '--methods',
      'gradcam',
      '--runs',
      runs,
      '--quick',
      '--no-predict',
      ...(scorecam ? ['--scorecam-all'] : []),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (r.status !== 0) throw new Error(`engine-bench exited with ${r.status}: ${r.stderr}`);
  const rows = new Map();
  for (const line of r.stdout.split('\n')) {
    const [model, method, forward, ms] = line.trim().split(/\s+/);
    if (method === 'gradcam') rows.set(model, { forward: Number(forward), gradcam: Number(ms) });
    const all = /^(\S+)\s+scorecam \(all (\d+) ch\)\s+\d+\s+(\d+)/.exec(line.trim());
    if (all) rows.set(`${all[1]} scorecam`, { channels: Number(all[2]), ms: Number(all[3]) });
  }
  const rss = /peak RSS (\d+) MB/.exec(r.stderr);
  return { rows, rssMb: rss ? Number(rss[1]) : NaN };
}

try {
  const p1 = peer(1);
  const o = ours();
  const p2 = peer(2);
  const ms = (p, m, k) => p.results[m]?.[k]?.median_ms ?? NaN;
  const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');
  console.log(
    '| network | our forward | our Grad-CAM | pytorch-grad-cam Grad-CAM | ratio | torch forward |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const m of models) {
    const a = o.rows.get(m) ?? { forward: NaN, gradcam: NaN };
    const g = [ms(p1, m, 'gradcam'), ms(p2, m, 'gradcam')];
    const t = [ms(p1, m, 'forward'), ms(p2, m, 'forward')];
    const ratio = a.gradcam / ((g[0] + g[1]) / 2);
    console.log(
      `| ${m} | ${f0(a.forward)} | ${f0(a.gradcam)} | ${f0(Math.min(...g))}–${f0(Math.max(...g))} | ` +
        `${Number.isFinite(ratio) ? ratio.toFixed(2) : '–'}x | ${f0(Math.min(...t))}–${f0(Math.max(...t))} |`,
    );
  }
  const sc = o.rows.get('mobilenet_v2 scorecam');
  if (scorecam && sc) {
    const p = [p1, p2].map((r) => r.results.mobilenet_v2?.scorecam?.one_call_ms ?? NaN);
    const ratio = sc.ms / ((p[0] + p[1]) / 2);
    console.log(
      `\nScore-CAM, MobileNetV2, all ${sc.channels} channels (one call): ours ${(sc.ms / 1000).toFixed(1)} s, ` +
        `pytorch-grad-cam ${(p[0] / 1000).toFixed(1)} / ${(p[1] / 1000).toFixed(1)} s, ratio ${ratio.toFixed(2)}x`,
    );
  }
  console.log(
    `\nmedian ms of ${runs} runs, 2 threads each; ratio = our Grad-CAM / mean of the two peer medians.` +
      `\npeak RSS: this engine ${f0(o.rssMb)} MB; pytorch-grad-cam ${f0(p1.info.maxrss_mb)} / ` +
      `${f0(p2.info.maxrss_mb)} MB (runs 1 / 2).`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
