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
 * Parses untrusted XML. Refuses any DTD before parsing: entities are how XXE and entity-expansion attacks
 * arrive, and no SAML message needs one. Parser warnings and errors both refuse the document.
 */
export function parseUntrustedXml(xml: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new SamlError({ reason: 'dtd_not_allowed', message: 'The XML declares a DTD or entities, which SAML messages never need' });
  }
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
  return childElements(parent, ns, localName)[0] ?? null;
}

export function descendants(root: Document | Element, ns: string, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(ns, localName) as unknown as ArrayLike<Element>);
}

export function textOf(element: Element | null): string | null {
  return element?.textContent?.trim() ?? null;
}

export function hasComment(node: Node): boolean {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 8 || hasComment(child)) return true;
  }
  return false;
}
