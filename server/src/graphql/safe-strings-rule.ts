import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { TEXT_FLAW_WORDING, textFlawOf } from '../lib/unsafe-text';

/**
 * Refuses string literals of the document that Portico would not store (a `\u0000` or a lone surrogate escape): the
 * edge guard sees the document's JSON text, not what its escapes decode to. Variables are checked at the edge.
 */
export function safeStringsRule(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node) {
      const flaw = textFlawOf(node.value);
      if (flaw) context.reportError(new GraphQLError(`A string literal ${TEXT_FLAW_WORDING[flaw]}`, { nodes: [node], extensions: { reason: flaw } }));
    },
  };
}
