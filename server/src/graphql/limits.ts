import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

// Depth counted from 0 at the root field; the deepest dashboard query reaches 6. Raise it with the schema.
export const MAX_DEPTH = 7;
export const MAX_COMPLEXITY = 5000;

export const depthLimitRule = depthLimit(MAX_DEPTH);

/** Refuses an operation whose estimated cost (rows × fields, from `first`) is over MAX_COMPLEXITY, before it runs. */
export const complexityLimitPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document, schema }) {
        let complexity: number;
        try {
          complexity = getComplexity({
            schema,
            query: document,
            operationName: request.operationName,
            variables: request.variables,
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
        } catch {
          // Variables that don't coerce: execution reports them as BAD_USER_INPUT with the variable named.
          return;
        }
        if (complexity > MAX_COMPLEXITY) {
          throw new GraphQLError(`Query cost ${complexity} is over the limit of ${MAX_COMPLEXITY}. Ask for fewer rows or fields.`, {
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'query_too_complex', http: { status: 400 } },
          });
        }
      },
    };
  },
};
