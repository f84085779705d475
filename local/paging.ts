// Pagination, both sides of it. The local services hand out pages as AWS does (an opaque NextToken, here an
// offset), and the code that reads a catalog follows NextToken to the end in one place.
import type * as Glue from '@aws-sdk/client-glue';
import { AwsServiceError } from '../functions/shared/errors';
import type { GluePort } from '../functions/shared/ports';

/** One page of `items` from an offset token; a token that is not an offset is InvalidInputException. */
export function pageOf<T>(
  items: readonly T[],
  nextToken: string | undefined,
  pageSize: number,
): { page: T[]; next: string | undefined } {
  const start = nextToken === undefined || nextToken === '' ? 0 : Number(nextToken);
  if (!Number.isInteger(start) || start < 0)
    throw new AwsServiceError('InvalidInputException', 'NextToken is not valid.');
  const page = items.slice(start, start + pageSize);
  return { page, next: start + pageSize < items.length ? String(start + pageSize) : undefined };
}

/** Follows a paginated call to its last page. */
export async function allPages<T>(fetch: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...page.items);
    token = page.next;
  } while (token);
  return out;
}

/** Every partition of a table. */
export function allPartitions(
  catalog: Pick<GluePort, 'getPartitions'>,
  database: string,
  table: string,
): Promise<Glue.Partition[]> {
  return allPages(async (token) => {
    const page = await catalog.getPartitions({ DatabaseName: database, TableName: table, NextToken: token });
    return { items: page.Partitions ?? [], next: page.NextToken };
  });
}

/** Every table of a database. */
export function allTables(catalog: Pick<GluePort, 'getTables'>, database: string): Promise<Glue.Table[]> {
  return allPages(async (token) => {
    const page = await catalog.getTables({ DatabaseName: database, NextToken: token });
    return { items: page.TableList ?? [], next: page.NextToken };
  });
}
