// After a fresh crawl: which columns of the raw table did the crawler give another type than at the last run (say
// bigint -> string after a file with `N/A` values)? The types of the last run are kept in a table parameter, which
// the crawler leaves alone when it updates the table; a change is reported, then recorded as the new baseline.
import type * as Glue from '@aws-sdk/client-glue';
import { errorMessage, hasErrorName } from '../shared/errors';
import { logger } from '../shared/logger';
import type { GluePort } from '../shared/ports';

/** The table parameter holding the column types seen at the last run: {"column":"type",...}. */
export const COLUMN_TYPES_PARAMETER = 'lakepipe.columnTypes';

export interface TypeChange {
  column: string;
  from: string;
  to: string;
}

type ColumnTypes = Record<string, string>;

function recordedTypes(table: Glue.Table): ColumnTypes | undefined {
  const text = table.Parameters?.[COLUMN_TYPES_PARAMETER];
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as ColumnTypes) : {};
  } catch {
    return {}; // an unreadable baseline is replaced, not trusted
  }
}

function currentTypes(table: Glue.Table): ColumnTypes {
  return Object.fromEntries((table.StorageDescriptor?.Columns ?? []).map((c) => [c.Name ?? '', c.Type ?? '']));
}

/** UpdateTable takes a TableInput: the Table without what Glue sets itself. */
function tableInput(table: Glue.Table, parameters: Record<string, string>): Glue.TableInput {
  return {
    Name: table.Name,
    Description: table.Description,
    Owner: table.Owner,
    LastAccessTime: table.LastAccessTime,
    LastAnalyzedTime: table.LastAnalyzedTime,
    Retention: table.Retention,
    StorageDescriptor: table.StorageDescriptor,
    PartitionKeys: table.PartitionKeys,
    ViewOriginalText: table.ViewOriginalText,
    ViewExpandedText: table.ViewExpandedText,
    TableType: table.TableType,
    Parameters: parameters,
    TargetTable: table.TargetTable,
  };
}

/**
 * The type changes of `database.table` since the last run, recording the current types for the next. Nothing is
 * reported the first time (no baseline) or when the table does not exist.
 */
export async function columnTypeChanges(
  glue: Pick<GluePort, 'getTable' | 'updateTable'>,
  database: string,
  tableName: string,
): Promise<TypeChange[]> {
  let table: Glue.Table | undefined;
  try {
    table = (await glue.getTable({ DatabaseName: database, Name: tableName })).Table;
  } catch (error) {
    if (hasErrorName(error, 'EntityNotFoundException')) return [];
    throw error;
  }
  if (!table) return [];
  const before = recordedTypes(table);
  const now = currentTypes(table);
  const changes = Object.entries(now).flatMap(([column, to]) => {
    const from = before?.[column];
    return from !== undefined && from !== to ? [{ column, from, to }] : [];
  });
  const unchanged = before !== undefined && JSON.stringify(before) === JSON.stringify(now);
  if (unchanged) return changes;
  try {
    const Parameters = { ...(table.Parameters ?? {}), [COLUMN_TYPES_PARAMETER]: JSON.stringify(now) };
    // VersionId: a crawl that updated the table meanwhile wins; the change is then reported again next run.
    await glue.updateTable({
      DatabaseName: database,
      TableInput: tableInput(table, Parameters),
      VersionId: table.VersionId,
    });
  } catch (error) {
    if (!hasErrorName(error, 'ConcurrentModificationException')) throw error;
    logger.warn('column types not recorded: the table changed meanwhile', {
      table: tableName,
      error: errorMessage(error),
    });
  }
  return changes;
}
