// The one way a Lambda validates what it is invoked with: Powertools' parser over a zod schema (a ready
// Powertools schema for AWS events, our own for task inputs). A failure names the first bad field.
import { parse } from '@aws-lambda-powertools/parser';
import type { z } from 'zod';

export type Parsed<T> = { ok: true; data: T } | { ok: false; problem: string };

interface Issue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

/** `objects[0].eventTime`, or `(event)` for the whole value. */
function fieldOf(path: Issue['path']): string {
  const keys = (path ?? []).map((p) => (typeof p === 'object' ? p.key : p));
  if (keys.length === 0) return '(event)';
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('');
}

/** Parses `event` with `schema`; never throws: a failure is `field: message` for the first issue. */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown): Parsed<z.output<S>> {
  const result = parse(event, undefined, schema, true);
  if (result.success) return { ok: true, data: result.data as z.output<S> };
  const issues = Array.isArray(result.error.cause) ? (result.error.cause as Issue[]) : [];
  const issue = issues[0];
  return { ok: false, problem: issue ? `${fieldOf(issue.path)}: ${issue.message}` : result.error.message };
}

/**
 * A task Lambda's input: parsed, or `invalid` thrown (a named error the ASL can tell apart) with a message
 * naming the task, the bad field and what the task expects.
 */
export function parseTaskInput<S extends z.ZodType>(
  schema: S,
  event: unknown,
  task: string,
  expects: string,
  invalid: (message: string) => Error,
): z.output<S> {
  const parsed = parseEvent(schema, event);
  if (parsed.ok) return parsed.data;
  throw invalid(`${task} input: ${parsed.problem} (expects ${expects})`);
}
