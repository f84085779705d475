import { Command } from 'commander';
import type { Act } from '../cli-io';
import { type ManualRunOptions, manualRun, manualRunCommand } from '../manual-runs';

export const redriveCommand = (act: Act) =>
  manualRunCommand(
    new Command('redrive')
      .summary('resume a failed execution from the state that failed')
      .description(
        'Resumes a failed, timed-out or aborted execution at the state that failed; states that succeeded are not run again.',
      ),
  ).action(act((context, name: string, options: ManualRunOptions) => manualRun('redrive', context, name, options)));
