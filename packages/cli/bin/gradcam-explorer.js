#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (root "prepare" script).
import { run } from '../dist/index.js';

// `gradcam-explorer ... | head` closes stdout early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

run(process.argv).then((code) => {
  process.exitCode = code;
});
