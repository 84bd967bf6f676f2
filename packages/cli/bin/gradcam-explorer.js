#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (root "prepare" script).
import { run } from '../dist/index.js';

run(process.argv).then((code) => {
  process.exitCode = code;
});
