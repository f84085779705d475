#!/usr/bin/env node
// The lakepipe CLI runs from TypeScript source through tsx, so a fresh clone needs no build step.
require('tsx/cjs/api').register();
require('../local/cli/cli.ts');
