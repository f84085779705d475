// The one way Lambdas validate their events (functions/shared/parse-event.ts).
import { z } from 'zod';
import { parseEvent, parseTaskInput } from '../../../functions/shared/parse-event';

const schema = z.object({ crawler: z.string(), objects: z.array(z.object({ eventTime: z.string() })) });

class NamedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamedError';
  }
}

describe('parseEvent', () => {
  it('returns the parsed data', () => {
    // Act
    const parsed = parseEvent(schema, { crawler: 'c', objects: [], extra: 1 });

    // Assess
    expect(parsed).toEqual({ ok: true, data: { crawler: 'c', objects: [] } });
  });

  it.each([
    [{ crawler: 'c', objects: [{ eventTime: 1 }] }, /^objects\[0\]\.eventTime: /],
    [{ objects: [] }, /^crawler: /],
    [null, /^\(event\): /],
  ])('names the first bad field of %j', (event, problem) => {
    // Act
    const parsed = parseEvent(schema, event);

    // Assess
    expect(parsed).toEqual({ ok: false, problem: expect.stringMatching(problem) });
  });
});

describe('parseTaskInput', () => {
  it('throws the named error with the task, the field and what the task expects', () => {
    // Act
    const parse = () => parseTaskInput(schema, { crawler: 7 }, 'check', '{ crawler }', (m) => new NamedError(m));

    // Assess
    expect(parse).toThrow(expect.objectContaining({ name: 'NamedError' }));
    expect(parse).toThrow(/^check input: crawler: .+ \(expects \{ crawler \}\)$/);
  });
});
