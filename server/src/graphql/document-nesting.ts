/**
 * How deeply `{ ( [` nest in a GraphQL document, outside strings and comments, by one pass without recursion.
 * graphql-js parses recursively and overflows its stack near 3,000 levels, so documents are measured before parsing.
 */
export const MAX_DOCUMENT_NESTING = 32;

export function documentNestingOf(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i += 1;
    } else if (c === '"') {
      const block = source.startsWith('"""', i);
      i += block ? 3 : 1;
      while (i < source.length && !(block ? source.startsWith('"""', i) && source[i - 1] !== '\\' : source[i] === '"' || source[i] === '\n')) i += source[i] === '\\' && !block ? 2 : 1;
      if (block) i += 2;
    } else if (c === '{' || c === '(' || c === '[') {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (c === '}' || c === ')' || c === ']') {
      depth -= 1;
    }
  }
  return deepest;
}
