// Rendering a validation file: the three placeholders the contract allows, each from a validated value;
// any other ${...} is refused, so a typo cannot reach Athena.
import { CATALOG_NAME } from '../shared/config';
import { EXECUTION_NAME } from '../shared/execution-name';
import { sqlString } from '../shared/sql-literal';
import { InvalidPlaceholderValueError, ValidationQueryError } from './errors';

const PLACEHOLDER = /\$\{([^}]*)\}/g;

export interface PlaceholderValues {
  database: string;
  runId: string;
  rejectedShareMax: number;
}

/** Validates every value, then renders each to its SQL text. */
export function placeholderSql(values: PlaceholderValues): Record<string, string> {
  if (!CATALOG_NAME.test(values.database)) {
    throw new InvalidPlaceholderValueError(
      `database ${JSON.stringify(values.database)} is not an identifier`,
      'database',
    );
  }
  if (!EXECUTION_NAME.test(values.runId)) {
    throw new InvalidPlaceholderValueError(`run_id ${JSON.stringify(values.runId)} is not an execution name`, 'run_id');
  }
  const share = values.rejectedShareMax;
  if (!Number.isFinite(share) || share < 0 || share > 1) {
    throw new InvalidPlaceholderValueError(
      `rejected_share_max ${share} is not a share in [0, 1]`,
      'rejected_share_max',
    );
  }
  return {
    database: values.database,
    run_id: sqlString(values.runId),
    rejected_share_max: String(share),
  };
}

/** Replaces the allowed placeholders; any other `${...}` is refused with the validation's name. */
export function renderValidation(name: string, sql: string, rendered: Readonly<Record<string, string>>): string {
  const unknown = [...sql.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((p) => !Object.hasOwn(rendered, p));
  if (unknown.length > 0) {
    const list = [...new Set(unknown)].map((p) => `\${${p}}`).join(', ');
    throw new ValidationQueryError(`validations/${name}.sql uses unknown placeholder(s) ${list}`, name);
  }
  return sql.replace(PLACEHOLDER, (_whole, placeholder: string) => rendered[placeholder] ?? '');
}
