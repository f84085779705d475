import { Command } from 'commander';
import type { Act } from '../cli-io';
import { type ManualRunOptions, manualRun, manualRunCommand } from '../manual-runs';

export const rerunCommand = (act: Act) =>
  manualRunCommand(
    new Command('rerun')
      .summary('a new execution with the same input (<name>-rerun-<n>)')
      .description('Starts a new execution with the input of <name>, named <name>-rerun-<n>, marked trigger "manual".'),
  ).action(act((context, name: string, options: ManualRunOptions) => manualRun('rerun', context, name, options)));
