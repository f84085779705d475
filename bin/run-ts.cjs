#!/usr/bin/env node
// Runs one TypeScript entry point (benchmarks, scripts) through tsx: `node bin/run-ts.cjs bench/run.ts [args]`.
const path = require('node:path');
// The Lambdas' Powertools logs at WARN unless asked otherwise, as in the CLI.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
require('tsx/cjs/api').register();
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node bin/run-ts.cjs <file.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...rest];
require(path.resolve(entry));
