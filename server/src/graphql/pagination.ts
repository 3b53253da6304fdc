import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ValidationError } from '../errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field({ nullable: true, description: 'The endCursor of the previous page' })
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
  /** Called only when a query selects `totalCount`: a COUNT over a large table is not free. */
  countRows: () => Promise<number>;
}

/** A Relay connection type for `Node`: `edges { node cursor }`, `pageInfo`, `totalCount`. */
export function Connection<TNode extends object>(Node: ClassType<TNode>) {
  @ObjectType(`${Node.name}Edge`)
  class Edge {
    @Field(() => Node) node: TNode;
    @Field() cursor: string;
  }

  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    countRows: () => Promise<number>;

    // A method field: TypeGraphQL calls it only when the query selects totalCount.
    @Field(() => Int)
    totalCount(): Promise<number> {
      return this.countRows();
    }
  }
  return ConnectionClass;
}

/**
 * Complexity of a connection field: its children cost once per requested row. An oversized `first` is
 * priced at the maximum, so argument validation (not the cost limit) is what reports it.
 */
export function connectionComplexity({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }): number {
  const first = typeof args.first === 'number' ? Math.min(Math.max(args.first, 1), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * first;
}

const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
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
  args: PageArgs,
  present: (row: E) => T,
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<ConnectionShape<T>> {
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
