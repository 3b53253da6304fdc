/**
 * Canonical XML for the two methods Portico's XML-DSig profile accepts, written for exactly that profile: exclusive
 * XML Canonicalization 1.0 without comments (with an InclusiveNamespaces PrefixList), and Canonical XML 1.0 without
 * comments, each applied to one element subtree of a parsed document, optionally leaving out one descendant subtree
 * (the enveloped Signature: the enveloped-signature transform, done while serialising instead of on a copy).
 *
 * One iterative pass (parentNode/nextSibling, no recursion, no stack of frames): any depth is safe, and nothing is
 * allocated per element except its output and, where it renders a namespace, one small scope record.
 *
 * Rules (https://www.w3.org/TR/xml-exc-c14n/, https://www.w3.org/TR/2001/REC-xml-c14n-20010315):
 * - Exclusive: an element renders a namespace declaration for each prefix it visibly utilizes (its own prefix, or
 *   the default namespace when it has none; the prefixes of its attributes other than xml) and for each prefix of the
 *   PrefixList in scope on it, unless the nearest output ancestor already rendered that prefix with the same value.
 *   `xmlns=""` is rendered only over a rendered non-empty default. The token `#default` in the PrefixList names the
 *   default namespace (Exc-C14N §3), which is then handled by the inclusive rules like any listed prefix. Ancestors'
 *   xml:* attributes are not imported onto the apex (Exc-C14N §1.1, §3).
 * - Inclusive: the apex renders every namespace in scope (its ancestors' included); below it, an element renders
 *   the declarations it carries that change the binding in scope. The apex also carries the xml:* attributes of its
 *   ancestors that it does not have itself, the nearest one's value (C14N 1.0 §2.4, as libxml2 does; xml-crypto
 *   does not).
 * - Attributes sort with no-namespace ones first by local name, then by namespace URI and local name; namespace
 *   declarations by prefix, default first; both in UTF-16 code unit order. Text escapes & < > CR; attribute values
 *   & < " TAB LF CR. CDATA is text. Comments are left out; processing instructions render as <?target data?>.
 */
export interface CanonicalizeOptions {
  /** Exclusive C14N when true, inclusive C14N 1.0 otherwise. */
  exclusive: boolean;
  /** Exclusive only: the InclusiveNamespaces PrefixList, as written (`#default` for the default namespace). */
  inclusivePrefixes?: readonly string[];
  /** A descendant left out with its subtree (the enveloped Signature). */
  skip?: Node | null;
}

const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XML = 'http://www.w3.org/XML/1998/namespace';

/** Exclusive: whether the PrefixList makes `prefix` ('' is the default namespace) follow the inclusive rules. */
const listed = (options: CanonicalizeOptions, prefix: string) => options.inclusivePrefixes?.includes(prefix === '' ? '#default' : prefix) ?? false;

/** The namespace bindings rendered by output ancestors: one record per element that rendered any, chained outward. */
interface Scope {
  parent: Scope | null;
  prefixes: string[];
  uris: string[];
}

function rendered(scope: Scope | null, prefix: string): string | undefined {
  for (let s = scope; s; s = s.parent) {
    const at = s.prefixes.indexOf(prefix);
    if (at !== -1) return s.uris[at];
  }
  // Nothing rendered: the default namespace is the empty one, a prefix is unbound.
  return prefix === '' ? '' : undefined;
}

/** The namespaces in scope on `element` (declared on it or its ancestors, nearest first), undeclarations left out. */
export function namespacesInScope(element: Element): Map<string, string> {
  const found = new Map<string, string>();
  for (let node: Node | null = element; node && node.nodeType === 1; node = node.parentNode) {
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i += 1) {
      const { name, value } = attributes[i]!;
      if (name === 'xmlns' && !found.has('')) found.set('', value);
      else if (name.startsWith('xmlns:') && !found.has(name.slice(6))) found.set(name.slice(6), value);
    }
  }
  for (const [prefix, uri] of found) if (uri === '') found.delete(prefix);
  return found;
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
const escapeText = (text: string) => (/[&<>\r]/.test(text) ? text.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]!) : text);
const escapeAttribute = (value: string) => (/[&<"\t\n\r]/.test(value) ? value.replace(/[&<"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!) : value);

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Scratch space for one start tag at a time (canonicalize neither recurses nor yields): no allocation per element
// unless it renders a namespace declaration.
const pendingPrefixes: string[] = [];
const pendingUris: string[] = [];
const plain: Attr[] = [];

/** Adds `prefix` = `uri` to what this element renders, unless an output ancestor rendered it already or it is pending. */
function need(scope: Scope | null, prefix: string, uri: string): void {
  if (pendingPrefixes.includes(prefix) || rendered(scope, prefix) === uri) return;
  pendingPrefixes.push(prefix);
  pendingUris.push(uri);
}

const byAttributeOrder = (a: Attr, b: Attr) => (a.namespaceURI ? (b.namespaceURI ? byCodeUnits(a.namespaceURI, b.namespaceURI) || byCodeUnits(a.localName, b.localName) : 1) : b.namespaceURI ? -1 : byCodeUnits(a.localName, b.localName));

/** Inclusive C14N 1.0 §2.4: the apex carries its ancestors' xml:* attributes it lacks (the nearest one's value). */
function inheritXmlAttributes(apex: Element): void {
  for (let node = apex.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i += 1) {
      const attribute = attributes[i]!;
      if (attribute.namespaceURI === XML && !plain.some((a) => a.namespaceURI === XML && a.localName === attribute.localName)) plain.push(attribute);
    }
  }
}

/** The start tag of `element`; answers the scope its children see. */
function startTag(element: Element, scope: Scope | null, options: CanonicalizeOptions, apex: boolean): { tag: string; scope: Scope | null } {
  if (pendingPrefixes.length) {
    pendingPrefixes.length = 0;
    pendingUris.length = 0;
  }
  if (plain.length) plain.length = 0;
  const attributes = element.attributes;
  if (options.exclusive) need(scope, element.prefix ?? '', element.namespaceURI ?? '');
  for (let i = 0; i < attributes.length; i += 1) {
    const attribute = attributes[i]!;
    if (attribute.namespaceURI === XMLNS) {
      const prefix = attribute.prefix ? attribute.localName : '';
      if (!options.exclusive || listed(options, prefix)) need(scope, prefix, attribute.value);
      continue;
    }
    plain.push(attribute);
    if (options.exclusive && attribute.prefix && attribute.prefix !== 'xml') need(scope, attribute.prefix, attribute.namespaceURI ?? '');
  }
  if (apex) {
    // The namespaces the apex inherits from outside the subtree: all of them (inclusive), or the PrefixList's (exclusive).
    for (const [prefix, uri] of namespacesInScope(element)) {
      if (!options.exclusive || listed(options, prefix)) need(scope, prefix, uri);
    }
    if (!options.exclusive) inheritXmlAttributes(element);
  }
  let tag = `<${element.tagName}`;
  if (pendingPrefixes.length) {
    const count = pendingPrefixes.length;
    const order = count === 1 ? [0] : pendingPrefixes.map((_, i) => i).sort((a, b) => byCodeUnits(pendingPrefixes[a]!, pendingPrefixes[b]!));
    for (const i of order) tag += pendingPrefixes[i] ? ` xmlns:${pendingPrefixes[i]}="${escapeAttribute(pendingUris[i]!)}"` : ` xmlns="${escapeAttribute(pendingUris[i]!)}"`;
    scope = { parent: scope, prefixes: pendingPrefixes.slice(), uris: pendingUris.slice() };
  }
  if (plain.length > 1) plain.sort(byAttributeOrder);
  for (let i = 0; i < plain.length; i += 1) tag += ` ${plain[i]!.name}="${escapeAttribute(plain[i]!.value)}"`;
  return { tag: `${tag}>`, scope };
}

/** The canonical form of `apex` and its subtree, without `options.skip`'s subtree. */
export function canonicalize(apex: Element, options: CanonicalizeOptions): string {
  const skip = options.skip ?? null;
  const scopes: (Scope | null)[] = [];
  let scope: Scope | null = null;
  let out = '';
  let node: Node | null = apex;
  while (node) {
    if (node.nodeType === 1) {
      const element = node as Element;
      const start = startTag(element, scope, options, element === apex);
      out += start.tag;
      let child = element.firstChild;
      if (child !== null && child === skip) child = child.nextSibling;
      if (child) {
        scopes.push(scope);
        scope = start.scope;
        node = child;
        continue;
      }
      out += `</${element.tagName}>`;
    } else if (node.nodeType === 3 || node.nodeType === 4) {
      out += escapeText((node as CharacterData).data);
    } else if (node.nodeType === 7) {
      const instruction = node as ProcessingInstruction;
      out += `<?${instruction.target}${instruction.data ? ` ${instruction.data}` : ''}?>`;
    }
    // Comments (8) render nothing: without-comments methods only. Then on to the next node in document order,
    // closing each element climbed out of, until the apex closes.
    for (;;) {
      if (node === apex) return out;
      let sibling: Node | null = node!.nextSibling;
      if (sibling !== null && sibling === skip) sibling = sibling.nextSibling;
      if (sibling) {
        node = sibling;
        break;
      }
      node = node!.parentNode!;
      out += `</${(node as Element).tagName}>`;
      scope = scopes.pop()!;
    }
  }
  return out;
}
