// Keeps package.json's `engines.node` true: every installed package (package-lock.json) must accept
// the oldest Node the project promises. Run by `npm run lint`.
import { readFileSync } from 'node:fs';
import semver from 'semver';

const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const promised = semver.minVersion(root.engines.node);
const bad = [];
for (const [path, pkg] of Object.entries(lock.packages)) {
  const want = pkg.engines?.node;
  if (!path || !want || pkg.optional) continue;
  if (!semver.satisfies(promised, want)) bad.push(`${path}@${pkg.version} needs node ${want}`);
}
if (bad.length) {
  console.error(`package.json promises node ${root.engines.node}, but:\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
console.log(`engines: every locked package accepts node ${promised} (${root.engines.node})`);
