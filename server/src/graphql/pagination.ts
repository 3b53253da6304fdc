import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageRequest } from '../lib/keyset-pagination';

/** The Relay shapes of a page (the rows themselves are paged by lib/keyset-pagination). */

@ArgsType()
export class PageArgs implements PageRequest {
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
