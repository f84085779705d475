// `lakepipe watch` keeps one ProgressView for its whole life: an execution that ended must stop its live line.
import { ProgressView } from '../../../local/cli/progress';
import type { HistoryEvent } from '../../../local/sfn/execution-store';
import { recordingIo } from '../../fixtures/recording-io';

const at = (type: string, extra: Partial<HistoryEvent> = {}): HistoryEvent => ({
  timestamp: new Date(Date.now()).toISOString(),
  type,
  attempt: 0,
  ...extra,
});

describe('ProgressView in a long-lived process', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-24T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('reports the last state done when the execution ends and stops ticking it', () => {
    // Prepare
    const { io, lines } = recordingIo();
    const view = new ProgressView(io, 10_000);
    const state = { state: 'PublishNotification', stateType: 'Task' };

    // Act
    view.onEvent('x', at('ExecutionStarted'));
    view.onEvent('x', at('StateEntered', state));
    jest.advanceTimersByTime(400);
    view.onEvent('x', at('StateExited', state));
    view.onEvent('x', at('ExecutionSucceeded'));
    jest.advanceTimersByTime(60_000);

    // Assess
    expect(lines).toEqual(['  ▶ PublishNotification', '  ✓ PublishNotification 400 ms']);
    view.stop();
  });

  it('keeps ticking a state of an execution still running when another one ends', () => {
    const { io, lines } = recordingIo();
    const view = new ProgressView(io, 10_000);

    view.onEvent('a', at('StateEntered', { state: 'RunJob', stateType: 'Task' }));
    view.onEvent('b', at('StateEntered', { state: 'RunJob', stateType: 'Task' }));
    view.onEvent('a', at('ExecutionFailed'));
    jest.advanceTimersByTime(11_000);
    view.stop();

    expect(lines.at(-1)).toMatch(/^ {2}… RunJob still running/);
  });
});
