import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

// Depth counted from 0 at the root field; the deepest dashboard query reaches 6. Raise it with the schema.
export const MAX_DEPTH = 7;
export const MAX_COMPLEXITY = 5000;
// How far the depth walk follows selections and fragment spreads before calling it too deep: well past MAX_DEPTH, and
// a bound on its recursion whatever the document (a chain of fragments adds spreads, not depth).
const MAX_WALK = 64;

/** Depth of a selection set; a spread of a fragment being walked (a cycle) counts 0, as NoFragmentCyclesRule reports it. */
function depthOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, memo: Map<string, number>, walking: Set<string>, walk: number): number {
  if (walk > MAX_WALK) return Infinity;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // Introspection fields are left out, as graphql-depth-limit did: tools ask for deep type references.
      if (selection.selectionSet && !selection.name.value.startsWith('__')) deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, memo, walking, walk + 1));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, memo, walking, walk + 1));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || walking.has(name)) continue;
      if (!memo.has(name)) {
        walking.add(name);
        memo.set(name, depthOf(fragment.selectionSet, fragments, memo, walking, walk + 1));
        walking.delete(name);
      }
      deepest = Math.max(deepest, memo.get(name)!);
    }
  }
  return deepest;
}

/** Refuses an operation nested deeper than MAX_DEPTH. Safe on fragment cycles, which graphql's own rule refuses. */
export function depthLimitRule(context: ValidationContext): ASTVisitor {
  return {
    Document(document) {
      const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
      const memo = new Map<string, number>();
      for (const operation of document.definitions) {
        if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
        if (depthOf(operation.selectionSet, fragments, memo, new Set(), 0) > MAX_DEPTH) {
          context.reportError(new GraphQLError(`'${operation.name?.value ?? ''}' exceeds maximum operation depth of ${MAX_DEPTH}`, { nodes: [operation] }));
        }
      }
    },
  };
}

/** Refuses an operation whose estimated cost (rows × fields, from `first`) is over MAX_COMPLEXITY, before it runs. */
export const complexityLimitPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      // Runs after validation, so the document has no fragment cycles for getComplexity to follow.
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
