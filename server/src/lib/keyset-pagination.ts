import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ValidationError } from '../errors';

/**
 * Keyset pagination of rows: a db helper any service may use. It knows nothing of transports: GraphQL wraps the
 * page in its Relay shapes (graphql/pagination.ts), and a service returns the page it gets here.
 */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Which page: at most `first` rows after the row `after` points at. */
export interface PageRequest {
  first?: number;
  after?: string;
}

/** A page of presented rows; `countRows` runs a COUNT only when called (it is not free over a large table). */
export interface Page<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  countRows: () => Promise<number>;
}

export const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

/** The row ID inside a cursor; a cursor that is not one of ours is refused, naming the `after` argument. */
export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z_]+_[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) {
    throw ValidationError.field('after', 'invalid_cursor', 'Pass the endCursor of a previous page');
  }
  return id;
}

/**
 * Keyset pagination over a query ordered by `alias.id`. IDs are ULIDs, so they sort by creation
 * time and never tie: no page repeats or skips a row, however deep.
 */
export async function paginate<E extends ObjectLiteral, T>(
  query: SelectQueryBuilder<E>,
  args: PageRequest,
  present: (row: E) => T,
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T>> {
  const alias = query.alias;
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  const page = query.clone().orderBy(`${alias}.id`, direction).take(first + 1);
  if (args.after) {
    page.andWhere(`${alias}.id ${direction === 'ASC' ? '>' : '<'} :afterId`, { afterId: decodeCursor(args.after) });
  }
  const rows = await page.getMany();
  const visible = rows.slice(0, first);
  const edges = visible.map((row) => ({ node: present(row), cursor: encodeCursor(row.id as string) }));
  return { edges, countRows: () => query.clone().getCount(), pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
