import { canonicalize } from './c14n';
import { SamlError } from './saml-error';
import { tooDeep, tooLarge, XML_LIMITS } from './xml';

/**
 * Portico's parser for SAML messages: XML 1.0 with namespaces, without a DTD (refused before parsing), into a small
 * tree that answers the part of the DOM the validator reads (nodeType, parentNode, first/last child, siblings,
 * tagName, prefix, localName, namespaceURI, attributes, getAttribute, data). One linear pass with indexOf and sticky
 * regular expressions, about ten times cheaper than @xmldom/xmldom on a signed response, which was most of the cost
 * of a validation (npm run bench:validate).
 *
 * It refuses what is not well-formed rather than repairing it: an unclosed or mismatched tag, text or a second
 * element outside the root, `<` or an unknown entity in an attribute value, `]]>` in text, `--` in a comment, a
 * duplicate attribute (by name, or by namespace and local name), an unbound prefix, a malformed name, a character XML
 * does not allow (raw or referenced). As XML requires: line ends become LF before parsing; in attribute values TAB and
 * LF become spaces (after which character references are expanded); the five predefined entities and character
 * references are expanded, no other entity exists. The bounds of XML_LIMITS (size, depth, elements, and as many
 * comments, CDATA sections and processing instructions) are enforced as it
 * goes: nothing recurses, and it stops at the first element past a bound.
 *
 * Whatever it builds under a signature is certified by it: the signed element's canonical form is computed from this
 * tree, so a tree that differs from the one the IdP signed fails the digest. The claims are read from the same tree.
 */

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

type XmlParent = XmlElement | XmlDocument;

abstract class XmlNode {
  parentNode: XmlParent | null = null;
  previousSibling: XmlNode | null = null;
  nextSibling: XmlNode | null = null;
  firstChild: XmlNode | null = null;
  lastChild: XmlNode | null = null;
  abstract readonly nodeType: number;
  constructor(readonly ownerDocument: XmlDocument | null) {}
}

export class XmlText extends XmlNode {
  constructor(owner: XmlDocument, readonly nodeType: 3 | 4 | 8, readonly data: string) {
    super(owner);
  }
}

export class XmlProcessingInstruction extends XmlNode {
  readonly nodeType = 7;
  constructor(owner: XmlDocument, readonly target: string, readonly data: string) {
    super(owner);
  }
}

export interface XmlAttribute {
  readonly name: string;
  readonly prefix: string | null;
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly value: string;
}

export class XmlElement extends XmlNode {
  readonly nodeType = 1;
  constructor(
    owner: XmlDocument,
    readonly tagName: string,
    readonly prefix: string | null,
    readonly localName: string,
    readonly namespaceURI: string | null,
    readonly attributes: XmlAttribute[],
  ) {
    super(owner);
  }

  get nodeName(): string {
    return this.tagName;
  }

  /** The attribute's value, or '' when there is none (as @xmldom/xmldom 0.8 answers, which the checks were written for). */
  getAttribute(name: string): string {
    for (const attribute of this.attributes) if (attribute.name === name) return attribute.value;
    return '';
  }

  getAttributeNS(namespaceURI: string | null, localName: string): string {
    for (const attribute of this.attributes) if (attribute.namespaceURI === namespaceURI && attribute.localName === localName) return attribute.value;
    return '';
  }

  hasAttribute(name: string): boolean {
    return this.attributes.some((attribute) => attribute.name === name);
  }

  /** Well-formed XML of this element in its context: its inclusive canonical form, with every namespace it inherits. */
  override toString(): string {
    return canonicalize(this as unknown as Element, { exclusive: false });
  }
}

export class XmlDocument extends XmlNode {
  readonly nodeType = 9;
  documentElement: XmlElement | null = null;
  constructor() {
    super(null);
  }
}

function append(parent: XmlParent, child: XmlNode): void {
  child.parentNode = parent;
  const last = parent.lastChild;
  if (last) {
    last.nextSibling = child;
    child.previousSibling = last;
  } else {
    parent.firstChild = child;
  }
  parent.lastChild = child;
}

function notWellFormed(problem: string, at: number): never {
  throw new SamlError({ reason: 'not_xml', message: 'The message is not well-formed XML', details: { parser: [`${problem} (at character ${at})`] } });
}

const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME = new RegExp(`[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*`, 'uy');
/** Characters outside XML 1.0's Char production: controls, U+FFFE/U+FFFF, and (checked apart, rarely present) lone surrogates. */
const CONTROL_OR_SURROGATE = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Leading zeros are allowed in any number (XML 1.0 §4.1): `&#x0000000041;` is A; eight significant digits are past U+10FFFF. */
const REFERENCE = /&(?:(lt|gt|amp|apos|quot)|#0*([0-9]{1,8})|#x0*([0-9a-fA-F]{1,8}));/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** The XML Name at `at`, or undefined: ASCII names scanned by hand (nearly all of SAML), others by the full grammar. */
function nameAt(xml: string, at: number): string | undefined {
  let j = at;
  for (;;) {
    const c = xml.charCodeAt(j);
    const start = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
    if (start || (j > at && ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e))) j += 1;
    else if (c >= 0x80) break;
    else return j > at ? xml.slice(at, j) : undefined;
  }
  NAME.lastIndex = at;
  return NAME.exec(xml)?.[0];
}

const isXmlChar = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
const isSpace = (c: number) => c === 0x20 || c === 0x9 || c === 0xa;

/** Expands the predefined entities and character references in `raw` (which starts at `at` in the document). */
function expand(raw: string, at: number): string {
  let from = raw.indexOf('&');
  if (from === -1) return raw;
  let out = raw.slice(0, from);
  while (from !== -1) {
    REFERENCE.lastIndex = from;
    const match = REFERENCE.exec(raw);
    if (!match) notWellFormed('an & that starts no character reference nor one of the five predefined entities', at + from);
    if (match[1]) out += ENTITIES[match[1]]!;
    else {
      const code = match[2] ? parseInt(match[2], 10) : parseInt(match[3]!, 16);
      if (!isXmlChar(code)) notWellFormed(`a reference to a character XML does not allow (#${code})`, at + from);
      out += String.fromCodePoint(code);
    }
    const next = raw.indexOf('&', REFERENCE.lastIndex);
    out += raw.slice(REFERENCE.lastIndex, next === -1 ? raw.length : next);
    from = next;
  }
  return out;
}

/**
 * The namespace bindings in force: one record per element that declares any, chained outward. Each record remembers
 * what was looked up through it, so a prefix declared 60 levels out under thousands of declarations is found once per
 * record, not walked to for every name that uses it (quadratic on a hostile message otherwise).
 */
interface Bindings {
  parent: Bindings | null;
  declared: Map<string, string>;
  resolved: Map<string, string | undefined> | null;
}

function lookup(bindings: Bindings | null, prefix: string): string | undefined {
  if (!bindings) return prefix === 'xml' ? XML_NS : undefined;
  const own = bindings.declared.get(prefix);
  if (own !== undefined) return own;
  if (bindings.resolved?.has(prefix)) return bindings.resolved.get(prefix);
  let found: string | undefined;
  for (let b = bindings.parent; b && found === undefined; b = b.parent) found = b.declared.get(prefix);
  if (found === undefined && prefix === 'xml') found = XML_NS;
  (bindings.resolved ??= new Map()).set(prefix, found);
  return found;
}

/** Splits a QName; refuses a name with more than one colon or an empty part (Namespaces in XML, NCName). */
function splitName(name: string, at: number): [string | null, string] {
  const colon = name.indexOf(':');
  if (colon === -1) return [null, name];
  if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) !== -1) notWellFormed(`the name ${name} is not a qualified name`, at);
  return [name.slice(0, colon), name.slice(colon + 1)];
}

/** An attribute as read, completed in place (namespaceURI) once the tag's declarations are known: one object each. */
interface RawAttribute {
  name: string;
  prefix: string | null;
  localName: string;
  namespaceURI: string | null;
  value: string;
  at: number;
}

/** Reads the attributes of a start tag from `j` to its end; answers them, where the tag ends, and whether it closed itself. */
function readAttributes(xml: string, j: number): { raw: RawAttribute[]; end: number; selfClosing: boolean } {
  const raw: RawAttribute[] = [];
  for (;;) {
    const before = j;
    while (isSpace(xml.charCodeAt(j))) j += 1;
    const c = xml.charCodeAt(j);
    if (c === 0x3e) return { raw, end: j + 1, selfClosing: false };
    if (c === 0x2f && xml.charCodeAt(j + 1) === 0x3e) return { raw, end: j + 2, selfClosing: true };
    if (j === before) notWellFormed(Number.isNaN(c) ? 'the document ends inside a start tag' : 'a start tag where whitespace, an attribute or its end was expected', j);
    const name = nameAt(xml, j);
    if (!name) notWellFormed('an attribute without a name', j);
    const at = j;
    j += name.length;
    while (isSpace(xml.charCodeAt(j))) j += 1;
    if (xml.charCodeAt(j) !== 0x3d) notWellFormed(`the attribute ${name} has no =`, j);
    j += 1;
    while (isSpace(xml.charCodeAt(j))) j += 1;
    const quote = xml[j];
    if (quote !== '"' && quote !== "'") notWellFormed(`the value of ${name} is not quoted`, j);
    const close = xml.indexOf(quote, j + 1);
    if (close === -1) notWellFormed(`the value of ${name} is never closed`, j);
    let value = xml.slice(j + 1, close);
    if (value.includes('<')) notWellFormed(`the value of ${name} contains <`, j);
    // Attribute-value normalization for CDATA attributes (all of them, without a DTD): TAB and LF become spaces.
    if (/[\t\n]/.test(value)) value = value.replace(/[\t\n]/g, ' ');
    if (raw.length === XML_LIMITS.maxAttributes) throw tooLarge('attributes on one element', XML_LIMITS.maxAttributes);
    const [prefix, localName] = name === 'xmlns' ? [null, name] : splitName(name, at);
    raw.push({ name, prefix, localName, namespaceURI: null, value: expand(value, j + 1), at });
    j = close + 1;
  }
}

/** Namespace declarations of one start tag, checked as Namespaces in XML 1.0 requires; null when it declares none. */
function declare(raw: RawAttribute[], outer: Bindings | null): Bindings | null {
  let bindings: Bindings | null = null;
  for (const { name, value, at } of raw) {
    let prefix: string;
    if (name === 'xmlns') prefix = '';
    else if (name.startsWith('xmlns:')) {
      prefix = name.slice(6);
      if (prefix.includes(':') || prefix === 'xmlns') notWellFormed(`the namespace prefix ${prefix} cannot be declared`, at);
      if (value === '') notWellFormed(`the prefix ${prefix} is undeclared, which XML 1.0 does not allow`, at);
    } else continue;
    if ((prefix === 'xml') !== (value === XML_NS) || value === XMLNS_NS) notWellFormed(`the prefix ${prefix || '(default)'} cannot be bound to ${value}`, at);
    bindings ??= { parent: outer, declared: new Map(), resolved: null };
    bindings.declared.set(prefix, value);
  }
  return bindings;
}

function resolveAttributes(raw: RawAttribute[], bindings: Bindings | null): XmlAttribute[] {
  for (let i = 0; i < raw.length; i += 1) {
    const attribute = raw[i]!;
    const { name, prefix, at } = attribute;
    if (name === 'xmlns' || prefix === 'xmlns') attribute.namespaceURI = XMLNS_NS;
    else if (prefix !== null) {
      const namespaceURI = lookup(bindings, prefix);
      if (namespaceURI === undefined) notWellFormed(`the attribute ${name} uses an undeclared prefix`, at);
      attribute.namespaceURI = namespaceURI;
    }
    if (raw.length > PAIRWISE_ATTRIBUTES) continue;
    for (let k = 0; k < i; k += 1) {
      const other = raw[k]!;
      if (other.name === name || (attribute.namespaceURI !== null && other.namespaceURI === attribute.namespaceURI && other.localName === attribute.localName)) {
        notWellFormed(`the attribute ${name} appears twice`, at);
      }
    }
  }
  if (raw.length > PAIRWISE_ATTRIBUTES) {
    // Many attributes: checked with a set, or 256 of them on each of thousands of elements cost 32,640 comparisons
    // apiece (a 1 MB message of them took half a second). The key of a namespaced attribute is its expanded name.
    const seen = new Set<string>();
    for (const { name, namespaceURI, localName, at } of raw) {
      const expanded = namespaceURI === null ? null : `{${namespaceURI}}${localName}`;
      if (seen.has(name) || (expanded !== null && seen.has(expanded))) notWellFormed(`the attribute ${name} appears twice`, at);
      seen.add(name);
      if (expanded !== null) seen.add(expanded);
    }
  }
  return raw;
}

/** Up to this many attributes on an element, duplicates are looked for pairwise (cheaper than a set for SAML's few). */
const PAIRWISE_ATTRIBUTES = 16;

/** Where `xml` at `from` ends the construct that `terminator` closes; refuses a document that ends first. */
function until(xml: string, terminator: string, from: number, what: string): number {
  const end = xml.indexOf(terminator, from);
  if (end === -1) notWellFormed(`${what} is never closed`, from);
  return end;
}

const XML_DECLARATION = /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.[0-9]+\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\4)?[ \t\n]*\?>/;

/**
 * Where the XML declaration at the start of `xml` ends. It must be one (XML 1.0 §2.8: version, then encoding and
 * standalone), and declare no encoding but UTF-8 (or its subset US-ASCII): the message was decoded as UTF-8, so a
 * document saying it is UTF-16 or ISO-8859-1 would be read otherwise than its signer wrote it.
 */
function xmlDeclaration(xml: string): number {
  const end = until(xml, '?>', 5, 'the XML declaration') + 2;
  const match = XML_DECLARATION.exec(xml.slice(0, end));
  if (!match) notWellFormed('an XML declaration that is not version="1.x" [encoding="…"] [standalone="yes|no"]', 0);
  const encoding = match[3];
  if (encoding !== undefined && !/^(?:utf-8|us-ascii)$/i.test(encoding)) notWellFormed(`the XML declares the encoding ${encoding}; SAML messages are read as UTF-8`, 0);
  return end;
}

/** Parses an untrusted SAML message; throws a SamlError (dtd_not_allowed, xml_too_large, xml_too_deep, not_xml). */
export function parseSamlXml(source: string): XmlDocument {
  if (/<!DOCTYPE|<!ENTITY/i.test(source)) {
    throw new SamlError({ reason: 'dtd_not_allowed', message: 'The XML declares a DTD or entities, which SAML messages never need' });
  }
  if (source.length > XML_LIMITS.maxChars) throw tooLarge('characters', XML_LIMITS.maxChars);
  let xml = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  if (xml.includes('\r')) xml = xml.replace(/\r\n?/g, '\n');
  // One scan in the common case; only a document holding surrogates (astral characters) is searched for lone ones.
  const suspect = CONTROL_OR_SURROGATE.exec(xml);
  const bad = suspect && suspect[0] >= '\uD800' && suspect[0] <= '\uDFFF' ? (/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/.exec(xml) ?? LONE_SURROGATE.exec(xml)) : suspect;
  if (bad) notWellFormed(`a character XML does not allow (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`, bad.index);

  const doc = new XmlDocument();
  let parent: XmlParent = doc;
  let bindings: Bindings | null = null;
  const outerBindings: (Bindings | null)[] = [];
  let elements = 0;
  // Comments, CDATA sections and processing instructions are nodes too, bounded like elements (text nodes lie between
  // the two kinds, so they are bounded with them): 1 MB of <!----> was 140,000 nodes for every walk to visit.
  let others = 0;
  const another = () => {
    if ((others += 1) > XML_LIMITS.maxElements) throw tooLarge('comments, CDATA sections and processing instructions', XML_LIMITS.maxElements);
  };
  let i = 0;
  if (/^<\?xml[ \t\n]/.test(xml)) i = xmlDeclaration(xml);
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) {
      const raw = xml.slice(i, textEnd);
      if (parent === doc) {
        if (!/^[ \t\n]*$/.test(raw)) notWellFormed('text outside the root element', i);
      } else {
        if (raw.includes(']]>')) notWellFormed(']]> in text', i + raw.indexOf(']]>'));
        append(parent, new XmlText(doc, 3, expand(raw, i)));
      }
    }
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f) {
      // End tag: must close the open element, by the same name.
      const name = nameAt(xml, lt + 2);
      let j = lt + 2 + (name?.length ?? 0);
      while (isSpace(xml.charCodeAt(j))) j += 1;
      if (!name || xml.charCodeAt(j) !== 0x3e) notWellFormed('a malformed end tag', lt);
      if (parent === doc || name !== (parent as XmlElement).tagName) notWellFormed(`the end tag ${name} closes no open element of that name`, lt);
      parent = parent.parentNode!;
      bindings = outerBindings.pop()!;
      i = j + 1;
    } else if (next === 0x21) {
      if (xml.startsWith('<!--', lt)) {
        const end = until(xml, '--', lt + 4, 'a comment');
        if (xml.charCodeAt(end + 2) !== 0x3e) notWellFormed('-- inside a comment', end);
        another();
        append(parent, new XmlText(doc, 8, xml.slice(lt + 4, end)));
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt) && parent !== doc) {
        const end = until(xml, ']]>', lt + 9, 'a CDATA section');
        another();
        append(parent, new XmlText(doc, 4, xml.slice(lt + 9, end)));
        i = end + 3;
      } else notWellFormed('a markup declaration, which SAML messages never need', lt);
    } else if (next === 0x3f) {
      const target = nameAt(xml, lt + 2);
      if (!target || target.includes(':') || target.toLowerCase() === 'xml') notWellFormed('a processing instruction without a valid target', lt);
      const end = until(xml, '?>', lt + 2, 'a processing instruction');
      const after = lt + 2 + target.length;
      if (after < end && !isSpace(xml.charCodeAt(after))) notWellFormed('a processing instruction without a valid target', lt);
      another();
      append(parent, new XmlProcessingInstruction(doc, target, xml.slice(after, end).replace(/^[ \t\n]+/, '')));
      i = end + 2;
    } else {
      const tagName = nameAt(xml, lt + 1);
      if (!tagName) notWellFormed('a < that starts no tag', lt);
      if (parent === doc && doc.documentElement) notWellFormed('a second root element', lt);
      if ((elements += 1) > XML_LIMITS.maxElements) throw tooLarge('elements', XML_LIMITS.maxElements);
      if (outerBindings.length + 1 > XML_LIMITS.maxDepth) throw tooDeep();
      const { raw, end, selfClosing } = readAttributes(xml, lt + 1 + tagName.length);
      const own: Bindings | null = declare(raw, bindings) ?? bindings;
      const [prefix, localName] = splitName(tagName, lt);
      if (prefix === 'xmlns') notWellFormed('an element in the xmlns namespace', lt);
      const namespaceURI = prefix === null ? lookup(own, '') || null : lookup(own, prefix);
      if (namespaceURI === undefined) notWellFormed(`the element ${tagName} uses an undeclared prefix`, lt);
      const element: XmlElement = new XmlElement(doc, tagName, prefix, localName, namespaceURI, resolveAttributes(raw, own));
      append(parent, element);
      if (parent === doc) doc.documentElement = element;
      if (!selfClosing) {
        parent = element;
        outerBindings.push(bindings);
        bindings = own;
      }
      i = end;
    }
  }
  if (parent !== doc) notWellFormed(`the element ${(parent as XmlElement).tagName} is never closed`, xml.length);
  if (!doc.documentElement) notWellFormed('no root element', 0);
  return doc;
}
