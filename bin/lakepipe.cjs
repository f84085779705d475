#!/usr/bin/env node
// The lakepipe CLI runs from TypeScript source through tsx, so a fresh clone needs no build step.
// The Lambdas' Powertools logs: warnings and errors (stderr) by default; `--verbose` raises the level.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
require('tsx/cjs/api').register();
require('../local/cli/cli.ts');
