// Loads the pipeline ASL for local runs: resolves ${placeholders}, then refuses what the local engine would get
// wrong silently (JSONata fields, resources no local service answers, state names repeated anywhere, since
// overrides are bound by state name), then validates with asl-validator.
import { readFile } from 'node:fs/promises';
import aslValidator from 'asl-validator';
import aslValidatorPackage from 'asl-validator/package.json';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { parse } from 'yaml';
import { cachedPure } from '../pure-cache';
import { DefinitionError, PlaceholderError } from './errors';

export type Definition = StateMachineDefinition;
type JsonObject = Record<string, unknown>;

/** Task resources docs/architecture.md allows ("How Tasks are bound"); anything else has no local service behind it. */
export const ALLOWED_RESOURCES: readonly RegExp[] = [
  /^arn:aws[a-z-]*:states:::aws-sdk:(glue|athena):[a-z][A-Za-z0-9]*$/,
  /^arn:aws[a-z-]*:states:::glue:startJobRun\.sync$/,
  /^arn:aws[a-z-]*:states:::athena:startQueryExecution\.sync$/,
  /^arn:aws[a-z-]*:states:::sns:publish$/,
  /^arn:aws[a-z-]*:states:::lambda:invoke$/,
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/,
];

/** Fields that only exist in JSONata mode; the local engine ignores them without a word. */
const JSONATA_STATE_FIELDS = ['QueryLanguage', 'Arguments', 'Output', 'Assign'] as const;

const PLACEHOLDER = /\$\{([^}]*)\}/g;

export interface WalkedState {
  name: string;
  state: JsonObject;
  /** Where the state sits, e.g. `States.RunValidations.ItemProcessor.States.StartValidationQuery`. */
  path: string;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every state of the definition, into Map ItemProcessor/Iterator and Parallel Branches, in definition order. */
export function walkStates(definition: unknown, prefix = ''): WalkedState[] {
  if (!isObject(definition) || !isObject(definition.States)) return [];
  const found: WalkedState[] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (!isObject(state)) continue;
    const path = `${prefix}States.${name}`;
    found.push({ name, state, path });
    for (const key of ['ItemProcessor', 'Iterator'] as const) {
      if (isObject(state[key])) found.push(...walkStates(state[key], `${path}.${key}.`));
    }
    if (Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, i) => {
        found.push(...walkStates(branch, `${path}.Branches[${i}].`));
      });
    }
  }
  return found;
}

/** Problems that make the definition unsafe to run locally; empty when it is fine. */
export function guardProblems(definition: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(definition)) return ['the definition is not an object'];
  if ('QueryLanguage' in definition) problems.push('top level: QueryLanguage is set (JSONPath only)');
  const seen = new Map<string, string>();
  for (const { name, state, path } of walkStates(definition)) {
    const earlier = seen.get(name);
    if (earlier !== undefined) problems.push(`${path}: state name "${name}" repeats ${earlier}`);
    else seen.set(name, path);
    for (const field of JSONATA_STATE_FIELDS) {
      if (field in state) problems.push(`${path}: JSONata field ${field} (JSONPath only)`);
    }
    if (Array.isArray(state.Choices) && state.Choices.some((c) => isObject(c) && 'Condition' in c)) {
      problems.push(`${path}: JSONata Choice Condition (JSONPath only)`);
    }
    if (state.Type === 'Task') {
      const resource = state.Resource;
      if (typeof resource !== 'string' || !ALLOWED_RESOURCES.some((re) => re.test(resource))) {
        problems.push(
          `${path}: Task resource ${JSON.stringify(resource)} is not one docs/architecture.md allows (see "How Tasks are bound")`,
        );
      }
    }
  }
  return problems;
}

/** Throws DefinitionError listing every problem the guard finds. */
export function guardDefinition(definition: unknown): void {
  const problems = guardProblems(definition);
  if (problems.length > 0) {
    throw new DefinitionError(`The definition cannot run locally:\n- ${problems.join('\n- ')}`, problems);
  }
}

const ASL_VALIDATOR_OPTIONS = { checkArn: true, checkPaths: true };
// asl-validator builds its JSON schema validator anew on every call (1 to 2 s of CPU): a definition it accepted
// once is remembered (local/pure-cache.ts), keyed by the validator's version and options.
const ASL_VALIDATOR_VERSION = `asl-validator@${aslValidatorPackage.version} ${JSON.stringify(ASL_VALIDATOR_OPTIONS)}`;

/** asl-validator's verdict. It annotates the object it checks, so it gets a copy. */
export function validateAsl(definition: unknown): string[] {
  const text = JSON.stringify(definition);
  return cachedPure(
    'asl-validator',
    ASL_VALIDATOR_VERSION,
    text,
    () => {
      const result = aslValidator(JSON.parse(text), ASL_VALIDATOR_OPTIONS);
      return result.isValid ? [] : result.errorsText('\n').split('\n');
    },
    (invalid) => invalid.length === 0,
  );
}

/** Replaces `${Name}` in every string value; a placeholder missing from `values` is an error. */
export function resolvePlaceholders(value: unknown, values: Readonly<Record<string, string>>): unknown {
  const missing = new Set<string>();
  const resolve = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const replacement = values[name];
        if (replacement === undefined) {
          missing.add(name);
          return whole;
        }
        return replacement;
      });
    }
    if (Array.isArray(node)) return node.map(resolve);
    if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
    return node;
  };
  const resolved = resolve(value);
  if (missing.size > 0) {
    const names = [...missing].sort();
    throw new PlaceholderError(`No value for placeholder(s) ${names.map((n) => `\${${n}}`).join(', ')}`, names);
  }
  return resolved;
}

/** Parses ASL text (YAML or JSON), resolves placeholders, guards and validates. */
export function parseDefinition(text: string, placeholders: Readonly<Record<string, string>>): Definition {
  const resolved = resolvePlaceholders(parse(text) as unknown, placeholders);
  guardDefinition(resolved);
  const invalid = validateAsl(resolved);
  if (invalid.length > 0) {
    throw new DefinitionError(`The definition is not valid ASL:\n- ${invalid.join('\n- ')}`, invalid);
  }
  return resolved as Definition;
}

export async function loadDefinition(
  file: string,
  placeholders: Readonly<Record<string, string>>,
): Promise<Definition> {
  return parseDefinition(await readFile(file, 'utf8'), placeholders);
}
