import { Command } from 'commander';
import { formatTable, QueryFailedError, runQuery } from '../athena-query';
import { type Act, type CommandContext, EXIT, type ExitCode, UsageError } from '../cli-io';
import { openTwin } from '../twin-session';

interface QueryOptions {
  database?: string;
  maxRows?: string;
}

export const queryCommand = (act: Act) =>
  new Command('query')
    .summary('Athena SQL over the catalog tables')
    .description(
      "Athena (Trino) SQL over the catalog tables through the twin's Athena; --json prints an array of row objects.",
    )
    .argument('<sql>', 'the statement, quoted')
    .option('--database <db>', 'the Glue database (default: the dataset one)')
    .option('--max-rows <n>', 'rows to fetch at most (default: 1000)')
    .action(act(query));

async function query({ io, home }: CommandContext, sql: string, options: QueryOptions): Promise<ExitCode> {
  if (sql.trim() === '') throw new UsageError('the SQL statement is empty');
  const maxRows = options.maxRows === undefined ? 1000 : Number(options.maxRows);
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new UsageError('--max-rows must be a whole number >= 1');
  const { twin } = await openTwin(home, io);
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
