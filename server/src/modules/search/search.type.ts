import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export const SearchKindEnum = { ORGANIZATION: 'ORGANIZATION', CONNECTION: 'CONNECTION', DIRECTORY: 'DIRECTORY', DIRECTORY_USER: 'DIRECTORY_USER', SESSION: 'SESSION' } as const;
registerEnumType(SearchKindEnum, { name: 'SearchKind', description: 'What a search hit is; each has its own dashboard page' });

@ObjectType({ description: 'One object a search found' })
export class SearchHit {
  @Field(() => SearchKindEnum) kind: string;
  @Field(() => ID) id: string;
  @Field({ description: 'A name, or an email for a session' }) title: string;
  @Field(() => String, { nullable: true, description: 'What tells two hits apart: domains, organization, directory, state' }) detail: string | null;
}

@ObjectType({ description: 'At most 5 hits of each kind, in this environment only' })
export class SearchResults {
  @Field(() => [SearchHit]) hits: SearchHit[];
  @Field(() => SearchHit, { nullable: true, description: 'Set when the query is a complete ID of an object of this environment: open it directly' }) jumpTo: SearchHit | null;
}
