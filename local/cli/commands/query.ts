import { Command } from 'commander';
import { errorMessage } from '../../../functions/shared/errors';
import { formatTable, QueryFailedError, runQuery } from '../athena-query';
import { type Act, type CommandContext, EXIT, type ExitCode, UsageError } from '../cli-io';
import { openTwin } from '../twin-session';

type Twin = Awaited<ReturnType<typeof openTwin>>['twin'];

interface QueryOptions {
  database?: string;
  maxRows?: string;
  dialect?: string;
}

const DIALECTS = ['trino', 'spark'];

export const queryCommand = (act: Act) =>
  new Command('query')
    .summary('Athena SQL over the catalog tables')
    .description(
      "Athena (Trino) SQL over the catalog tables through the twin's Athena; --json prints an array of row objects.",
    )
    .argument('<sql>', 'the statement, quoted')
    .option('--database <db>', 'the Glue database (default: the dataset one)')
    .option('--max-rows <n>', 'rows to fetch at most (default: 1000)')
    .option('--dialect <dialect>', 'trino (Athena, default) or spark (a Glue job step, run as the job runner runs it)')
    .action(act(query));

async function query({ io, home }: CommandContext, sql: string, options: QueryOptions): Promise<ExitCode> {
  if (sql.trim() === '') throw new UsageError('the SQL statement is empty');
  const maxRows = options.maxRows === undefined ? 1000 : Number(options.maxRows);
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new UsageError('--max-rows must be a whole number >= 1');
  const dialect = options.dialect ?? 'trino';
  if (!DIALECTS.includes(dialect)) {
    throw new UsageError(`--dialect must be one of ${DIALECTS.join(', ')}, got "${dialect}"`);
  }
  const { twin } = await openTwin(home, io);
  if (dialect === 'spark') return sparkQuery(io, twin, sql, options.database ?? twin.plan.database, maxRows);
  try {
    const out = await runQuery(
      twin.athena,
      {
        QueryString: sql,
        QueryExecutionContext: { Database: options.database ?? twin.plan.database },
        WorkGroup: twin.plan.workgroup,
      },
      maxRows,
    );
    io.result(out.rows);
    const names = out.columns.map((c) => c.Name ?? '');
    for (const line of formatTable(names, out.rows)) io.say(line);
    const scanned = out.execution.Statistics?.DataScannedInBytes;
    io.say(
      `(${out.rows.length} row(s)${scanned !== undefined ? `, ${scanned.toLocaleString('en-US')} bytes scanned` : ''})`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof QueryFailedError) {
      io.error(`query failed: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

/** One Spark SQL statement over the catalog, translated and run as a job step is; a refusal or error exits 1. */
async function sparkQuery(io: CommandContext['io'], twin: Twin, sql: string, database: string, maxRows: number) {
  // Loaded only for a Spark statement; `require`: the CLI runs as CommonJS (see ../heavy-modules.ts).
  const { runSparkQuery } = require('../../sql/spark/spark-query') as typeof import('../../sql/spark/spark-query');
  let out: Awaited<ReturnType<typeof runSparkQuery>>;
  try {
    out = await runSparkQuery({ workspace: twin.workspace, catalog: twin.catalog, database, sql, maxRows });
  } catch (error) {
    io.error(`query failed: ${errorMessage(error).split('\n')[0]}`);
    return EXIT.failed;
  }
  io.result(out.rows);
  for (const line of formatTable(out.columns, out.rows)) io.say(line);
  io.say(`(${out.rows.length} row(s))`);
  return EXIT.ok;
}
