import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

/**
 * Tells the context whether the operation reads or changes: an API key's scope (api-key-scopes.ts) allows reads
 * and changes separately, and every resolver of a mutation counts as a change.
 */
export const operationTypePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        contextValue.operationType = operation?.operation ?? null;
      },
    };
  },
};
