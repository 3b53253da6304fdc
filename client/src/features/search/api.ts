import { graphql } from '../../gql';

export const SearchQuery = graphql(`
  query Search($environmentId: ID!, $query: String!) {
    environment(id: $environmentId) {
      id
      search(query: $query) {
        hits { kind id title detail }
        jumpTo { kind id title detail }
      }
    }
  }
`);
