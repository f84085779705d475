import { ProgressView } from '../../../local/cli/progress';
import type { HistoryEvent } from '../../../local/sfn/execution-store';
import { recordingIo } from '../../fixtures/recording-io';

let clock = Date.parse('2026-11-24T00:00:00Z');
function ev(type: string, state: string, stateType: string, extra: Partial<HistoryEvent> = {}): HistoryEvent {
  clock += 100;
  return { timestamp: new Date(clock).toISOString(), type, attempt: 0, state, stateType, ...extra };
}

describe('ProgressView', () => {
  it('prints each state once, folds the crawler poll loop, and reports a state done before the next starts', () => {
    const { io, lines } = recordingIo();
    const view = new ProgressView(io);
    const feed = (e: HistoryEvent) => view.onEvent('x', e);

    feed(ev('StateEntered', 'CheckCatalog', 'Task'));
    feed(ev('StateExited', 'CheckCatalog', 'Task'));
    for (let i = 0; i < 2; i++) {
      feed(ev('StateEntered', 'WaitForCrawl', 'Wait'));
      feed(ev('StateExited', 'WaitForCrawl', 'Wait'));
      feed(ev('StateEntered', 'CheckCatalog', 'Task'));
      feed(ev('StateExited', 'CheckCatalog', 'Task'));
    }
    feed(ev('StateEntered', 'RunJob', 'Task'));
    feed(ev('StateRetried', 'RunJob', 'Task', { retryAttempt: 1 }));
    feed(ev('StateCaught', 'RunJob', 'Task', { error: 'States.TaskFailed', cause: 'boom\n  at line 2' }));
    view.stop();

    expect(lines).toEqual([
      '  ▶ CheckCatalog',
      '  ✓ CheckCatalog (3 checks) 900 ms',
      '  ▶ RunJob',
      '  ↻ RunJob retry 1',
      '  ✗ RunJob States.TaskFailed: boom at line 2',
    ]);
  });

  it('prints a failed state once, with its cause on one line, and never as done', () => {
    const { io, lines } = recordingIo();
    const view = new ProgressView(io);
    const feed = (e: HistoryEvent) => view.onEvent('x', e);
    const cause = JSON.stringify({ errorType: 'BadInputFile', errorMessage: 'a.csv: not UTF-8 text', trace: ['at x'] });

    feed(ev('StateEntered', 'ScreenFiles', 'Task'));
    feed(ev('StateFailed', 'ScreenFiles', 'Task', { error: 'BadInputFile', cause }));
    feed(ev('StateCaught', 'ScreenFiles', 'Task'));
    feed(ev('StateExited', 'ScreenFiles', 'Task'));
    feed(ev('StateEntered', 'BuildFailureNotification', 'Task'));
    feed(ev('StateExited', 'BuildFailureNotification', 'Task'));
    view.stop();

    expect(lines).toEqual([
      '  ▶ ScreenFiles',
      '  ✗ ScreenFiles BadInputFile: a.csv: not UTF-8 text',
      '  ▶ BuildFailureNotification',
      '  ✓ BuildFailureNotification 100 ms',
    ]);
  });

  it('ignores states inside Map iterations', () => {
    const { io, lines } = recordingIo();
    const view = new ProgressView(io);
    view.onEvent('x', ev('StateEntered', 'StartValidationQuery', 'Task', { index: 0 }));
    view.stop();
    expect(lines).toEqual([]);
  });
});
