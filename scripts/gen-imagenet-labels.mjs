// Writes packages/core/src/imagenet/classes.json: the 1000 ImageNet (ILSVRC-2012) class labels in
// Keras class-index order, taken from @tensorflow-models/mobilenet's `IMAGENET_CLASSES`
// (dist/imagenet_classes.js), never typed by hand.
// Usage: node scripts/gen-imagenet-labels.mjs
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { version } = require('@tensorflow-models/mobilenet/package.json');
const { IMAGENET_CLASSES } = require('@tensorflow-models/mobilenet/dist/imagenet_classes.js');

const keys = Object.keys(IMAGENET_CLASSES);
if (keys.length !== 1000 || keys.some((k, i) => k !== String(i))) {
  throw new Error(`expected keys 0..999, got ${keys.length} keys`);
}
const labels = keys.map((k) => IMAGENET_CLASSES[k]);
for (const [i, label] of labels.entries()) {
  if (typeof label !== 'string' || label.trim() !== label || label === '') {
    throw new Error(`bad label at ${i}: ${JSON.stringify(label)}`);
  }
}

const out = fileURLToPath(new URL('../packages/core/src/imagenet/classes.json', import.meta.url));
writeFileSync(out, JSON.stringify(labels, null, 2) + '\n');
console.log(`wrote ${labels.length} labels from @tensorflow-models/mobilenet ${version} to ${out}`);
