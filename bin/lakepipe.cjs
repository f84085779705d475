#!/usr/bin/env node
// The lakepipe CLI runs from TypeScript source through tsx, so a fresh clone needs no build step.
// The Lambdas' Powertools logs: warnings and errors (stderr) by default, everything with --verbose.
// Set before any handler module loads, because the Logger reads it once, like at a Lambda cold start.
if (process.argv.includes('--verbose')) process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
else process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.argv = process.argv.filter((arg) => arg !== '--verbose');
require('tsx/cjs/api').register();
require('../local/cli/cli.ts');
