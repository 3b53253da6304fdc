import { DOMParser } from '@xmldom/xmldom';
import { SamlError } from './saml-error';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
} as const;

/**
 * Bounds on untrusted XML: checked on the text before @xmldom/xmldom parses metadata (checkXmlShape), and by
 * Portico's own parser of SAML messages as it goes (xml-parser.ts). The serializer and the decrypter walk the tree
 * recursively, so a document nested tens of thousands deep would
 * overflow the stack; real SAML responses and IdP metadata are under 15 levels deep and a few thousand
 * elements (an Okta response with 1,000 groups is about 1,100).
 */
export const XML_LIMITS = {
  maxDepth: 64,
  maxElements: 20_000,
  /** Attributes (namespace declarations included) on one element: SAML uses under 20; bounds the per-element checks. */
  maxAttributes: 256,
  /** Characters of XML: above the 1 MB ACS form limit (base64 of ~750 KB) and the 1,000,000 of pasted metadata. */
  maxChars: 1_000_000,
} as const;

/**
 * Parses untrusted XML. Refuses any DTD before parsing: entities are how XXE and entity-expansion attacks
 * arrive, and no SAML message needs one. Refuses documents beyond XML_LIMITS before parsing. Parser warnings
 * and errors both refuse the document.
 */
export function parseUntrustedXml(xml: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new SamlError({ reason: 'dtd_not_allowed', message: 'The XML declares a DTD or entities, which SAML messages never need' });
  }
  checkXmlShape(xml);
  const problems: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: (m) => problems.push(m), error: (m) => problems.push(m), fatalError: (m) => problems.push(m) },
  }).parseFromString(xml, 'text/xml');
  if (problems.length || !doc?.documentElement) {
    throw new SamlError({ reason: 'not_xml', message: 'The message is not well-formed XML', details: { parser: problems.slice(0, 3) } });
  }
  return doc as unknown as Document;
}

export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName) out.push(node as Element);
  }
  return out;
}

export function firstChild(parent: Element, ns: string, localName: string): Element | null {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName) return node as Element;
  }
  return null;
}

/**
 * Visits every node below `root` in document order, iteratively (first child, else next sibling, else climb to an
 * ancestor's next sibling), so no document can overflow the call stack whatever its depth, and nothing is allocated.
 * `visit` returning true stops the walk.
 */
export function walkDescendants(root: Node, visit: (node: Node) => boolean | void): void {
  let node: Node | null = root.firstChild;
  while (node) {
    if (visit(node) === true) return;
    if (node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node !== root && !node.nextSibling) node = node.parentNode!;
    if (node === root) return;
    node = node.nextSibling;
  }
}

export function descendants(root: Document | Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  walkDescendants(root, (node) => {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName) out.push(node as Element);
  });
  return out;
}

/** Descendants of `root` in namespace `ns` named `first` and named `second`, found in one walk. */
export function descendantsNamed(root: Document | Element, ns: string, first: string, second: string): [Element[], Element[]] {
  const found: [Element[], Element[]] = [[], []];
  walkDescendants(root, (node) => {
    if (node.nodeType !== 1 || (node as Element).namespaceURI !== ns) return;
    const name = (node as Element).localName;
    if (name === first) found[0].push(node as Element);
    else if (name === second) found[1].push(node as Element);
  });
  return found;
}

/** The text of an element and its descendants (text and CDATA, as DOM textContent), gathered iteratively. */
export function textContentOf(element: Node): string {
  // Nearly every SAML value is one text node: read it without a walk.
  const only = element.firstChild;
  if (!only) return '';
  if (only === element.lastChild && (only.nodeType === 3 || only.nodeType === 4)) return (only as CharacterData).data;
  let text = '';
  walkDescendants(element, (node) => {
    if (node.nodeType === 3 || node.nodeType === 4) text += (node as CharacterData).data;
  });
  return text;
}

export function textOf(element: Element | null): string | null {
  return element ? textContentOf(element).trim() : null;
}

export function hasComment(node: Node): boolean {
  let found = false;
  walkDescendants(node, (child) => (found = child.nodeType === 8));
  return found;
}

export function tooLarge(what: string, limit: number): SamlError {
  return new SamlError({ reason: 'xml_too_large', message: `The XML has more than ${limit.toLocaleString('en-US')} ${what}; no SAML message is that large`, expected: `at most ${limit} ${what}` });
}

export function tooDeep(): SamlError {
  return new SamlError({
    reason: 'xml_too_deep',
    message: `The XML nests elements more than ${XML_LIMITS.maxDepth} levels deep; SAML messages are under 15`,
    expected: `at most ${XML_LIMITS.maxDepth} levels`,
    received: `more than ${XML_LIMITS.maxDepth}`,
  });
}

/** Index just past `end` at or after `from`, or the text's length when it never comes (the parser refuses that). */
function skipPast(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  return at === -1 ? xml.length : at + end.length;
}

/**
 * Depth and element count from the text, in one linear pass that allocates nothing per element: start tags
 * (quote-aware, since `>` may sit in an attribute value), end tags and self-closing tags; comments, CDATA and
 * processing instructions are skipped as the parser skips them. Runs before the parser builds anything.
 */
export function checkXmlShape(xml: string): void {
  if (xml.length > XML_LIMITS.maxChars) throw tooLarge('characters', XML_LIMITS.maxChars);
  let depth = 0;
  let elements = 0;
  for (let i = xml.indexOf('<'); i !== -1 && i < xml.length; i = xml.indexOf('<', i)) {
    if (xml.startsWith('<!--', i)) i = skipPast(xml, '-->', i + 4);
    else if (xml.startsWith('<![CDATA[', i)) i = skipPast(xml, ']]>', i + 9);
    else if (xml.startsWith('<?', i) || xml.startsWith('<!', i)) i = skipPast(xml, '>', i + 2);
    else if (xml.startsWith('</', i)) {
      // More end tags than start tags is not XML; refusing it here keeps the count honest for what follows.
      if ((depth -= 1) < 0) throw new SamlError({ reason: 'not_xml', message: 'The message is not well-formed XML', details: { parser: ['an end tag closes no element'] } });
      i = skipPast(xml, '>', i + 2);
    } else {
      let j = i + 1;
      for (let quote = ''; j < xml.length; j += 1) {
        const c = xml[j]!;
        if (quote) quote = c === quote ? '' : quote;
        else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if ((elements += 1) > XML_LIMITS.maxElements) throw tooLarge('elements', XML_LIMITS.maxElements);
      // A self-closing element sits one level down too, but closes itself.
      if (xml[j - 1] !== '/') depth += 1;
      if (depth + (xml[j - 1] === '/' ? 1 : 0) > XML_LIMITS.maxDepth) throw tooDeep();
      i = j + 1;
    }
  }
}
