import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlOperations } from '../lib/metrics';

/** An error code is a label only when it looks like one (`BAD_USER_INPUT`); anything else counts as `OTHER`. */
function outcomeOf(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string {
  if (!errors?.length) return 'ok';
  const code = errors[0]!.extensions?.code;
  return typeof code === 'string' && /^[A-Z][A-Z_]{0,39}$/.test(code) ? code : 'OTHER';
}

/** Counts every GraphQL request in `portico_graphql_operations_total` by operation type and outcome. */
export const metricsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, operation }) {
        const body = response.body;
        const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
        graphqlOperations.inc({ type: operation?.operation ?? 'unknown', outcome: outcomeOf(errors) });
      },
    };
  },
};
