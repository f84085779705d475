// Glue's partition predicate (GetPartitions' Expression), the subset the local catalog answers: comparisons
// between a partition key and a literal, IN lists, AND / OR and parentheses. Anything else is refused.
import { AwsServiceError } from '../../../functions/shared/errors';

const invalidInput = (message: string) => new AwsServiceError('InvalidInputException', message);

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'word'; text: string };
type Predicate = (values: string[]) => boolean;

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s*(?:(')((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)\b|(<>|!=|<=|>=|=|<|>)|(\()|(\))|(,)|([A-Za-z_][A-Za-z0-9_]*)|(`)([^`]*)`)\s*/y;
  let index = 0;
  while (index < expression.length) {
    re.lastIndex = index;
    const m = re.exec(expression);
    if (!m || m[0].length === 0)
      throw invalidInput(`Unsupported partition expression near: ${expression.slice(index)}`);
    index = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: (m[2] ?? '').replaceAll("''", "'") });
    else if (m[3] !== undefined) tokens.push({ kind: 'number', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'op', text: m[4] });
    else if (m[5] !== undefined) tokens.push({ kind: 'lparen', text: '(' });
    else if (m[6] !== undefined) tokens.push({ kind: 'rparen', text: ')' });
    else if (m[7] !== undefined) tokens.push({ kind: 'comma', text: ',' });
    else if (m[8] !== undefined) {
      const upper = m[8].toUpperCase();
      tokens.push(['AND', 'OR', 'IN'].includes(upper) ? { kind: 'word', text: upper } : { kind: 'ident', text: m[8] });
    } else if (m[9] !== undefined) tokens.push({ kind: 'ident', text: m[10] ?? '' });
  }
  return tokens;
}

function compare(left: string, right: string): number {
  const l = Number(left);
  const r = Number(right);
  if (left.trim() !== '' && right.trim() !== '' && Number.isFinite(l) && Number.isFinite(r)) return l - r;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Parses a Glue partition predicate into a function over a partition's Values. */
export function parsePartitionExpression(expression: string, keys: string[]): Predicate {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const token = tokens[pos++];
    if (!token) throw invalidInput(`Partition expression ends early: ${expression}`);
    return token;
  };
  const literal = (): string => {
    const token = next();
    if (token.kind !== 'string' && token.kind !== 'number') throw invalidInput(`Expected a literal, got ${token.text}`);
    return token.text;
  };

  const comparison = (): Predicate => {
    const first = next();
    if (first.kind === 'lparen') {
      const inner = disjunction();
      if (next().kind !== 'rparen') throw invalidInput('Missing ) in partition expression.');
      return inner;
    }
    if (first.kind !== 'ident') throw invalidInput(`Expected a partition key, got ${first.text}`);
    const index = keys.indexOf(first.text.toLowerCase());
    if (index < 0) throw invalidInput(`${first.text} is not a partition key.`);
    const op = next();
    if (op.kind === 'word' && op.text === 'IN') {
      if (next().kind !== 'lparen') throw invalidInput('Expected ( after IN.');
      const options = [literal()];
      while (peek()?.kind === 'comma') {
        pos++;
        options.push(literal());
      }
      if (next().kind !== 'rparen') throw invalidInput('Missing ) after IN list.');
      return (values) => options.some((o) => compare(values[index] ?? '', o) === 0);
    }
    if (op.kind !== 'op') throw invalidInput(`Expected a comparison, got ${op.text}`);
    const right = literal();
    const test: Record<string, (c: number) => boolean> = {
      '=': (c) => c === 0,
      '<>': (c) => c !== 0,
      '!=': (c) => c !== 0,
      '<': (c) => c < 0,
      '<=': (c) => c <= 0,
      '>': (c) => c > 0,
      '>=': (c) => c >= 0,
    };
    const check = test[op.text];
    if (!check) throw invalidInput(`Unsupported operator ${op.text}`);
    return (values) => check(compare(values[index] ?? '', right));
  };
  const conjunction = (): Predicate => {
    const parts = [comparison()];
    while (peek()?.kind === 'word' && peek()?.text === 'AND') {
      pos++;
      parts.push(comparison());
    }
    return (values) => parts.every((p) => p(values));
  };
  const disjunction = (): Predicate => {
    const parts = [conjunction()];
    while (peek()?.kind === 'word' && peek()?.text === 'OR') {
      pos++;
      parts.push(conjunction());
    }
    return (values) => parts.some((p) => p(values));
  };

  const predicate = disjunction();
  if (pos !== tokens.length) throw invalidInput(`Unsupported partition expression: ${expression}`);
  return predicate;
}
