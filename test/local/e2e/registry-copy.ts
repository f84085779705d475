// A copy of the repository's dataset registry with one more dataset folder written by a test: a dataset added by
// configuration alone, given to the twin as its `datasetsRoot`.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from './support';

const REPO = path.resolve(__dirname, '../../..');

/** The root of the copy; `files` are paths under `datasets/<name>/` and their text. */
export async function registryWith(name: string, files: Record<string, string>): Promise<string> {
  const root = await tempDir('lakepipe-registry-');
  await cp(path.join(REPO, 'datasets'), path.join(root, 'datasets'), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(root, 'datasets', name, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return root;
}

/** store_visits: visitors per store and day, `;`-separated, with an optional `weather` column. */
export const STORE_VISITS_DATASET = `description: Visitors counted at each store's door, one row per store and day
raw:
  prefix: raw/store_visits/
  formats: [csv]
  csv: { header: true, delimiter: ";", quote: "\\"" }
contract:
  key: [store_id, visit_date]
  columns:
    - { name: store_id, type: string, required: true, description: The store }
    - { name: visit_date, type: date, required: true, description: The day }
    - { name: visits, type: bigint, required: true, description: Visitors that day }
    - { name: weather, type: string, description: The weather the staff noted }
checks: [visits_loaded]
`;

export const VISITS_LOADED = `SELECT count(*) = 2 AS passed, count(*) AS rows_written
FROM \${database}.store_visits_daily WHERE run_id = \${run_id}`;

/** A store-visits job manifest: its parameters besides run_id, its one step's file and its output's columns. */
export function visitsJob(step: string, columns: string[], parameters: string[] = []): string {
  return [
    'name: store-visits',
    'source: { bookmark: true }',
    'parameters:',
    '  run_id: { argument: run_id, type: string }',
    ...parameters.map((p) => `  ${p}`),
    'steps:',
    `  - { name: visits, sql: ${step} }`,
    'outputs:',
    '  - table: store_visits_daily',
    '    step: visits',
    '    path: store_visits_daily/',
    '    format: parquet',
    '    mode: append',
    '    columns:',
    ...columns.map((c) => {
      const [name, type] = c.split(':');
      return `      - { name: ${name}, type: ${type} }`;
    }),
    '',
  ].join('\n');
}
