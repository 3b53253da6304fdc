import { decodeSamlResponse } from './decode';
import { parseUntrustedXml } from './xml';

const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';

/**
 * The request a posted SAMLResponse says it answers (`Response/@InResponseTo`), or null: unverified, a hint for
 * finding the sign-in to check it against when RelayState names none. Nothing is trusted from it: the response is
 * then validated in full, InResponseTo included, against that sign-in's request ID.
 */
export function claimedInResponseTo(samlResponse: string): string | null {
  let xml: string;
  try {
    xml = decodeSamlResponse(samlResponse);
  } catch {
    return null;
  }
  return claimedInResponseToOfXml(xml);
}

/**
 * The same, from the response already decoded. Most responses claim nothing (IdP-initiated ones; SP-initiated ones
 * come with a RelayState and are not asked): an attribute's name is never escaped in XML text, so a response without
 * the characters `InResponseTo` can't claim one, and is answered without parsing it on the main thread.
 */
export function claimedInResponseToOfXml(xml: string): string | null {
  if (!xml.includes('InResponseTo')) return null;
  try {
    const root = parseUntrustedXml(xml).documentElement;
    if (root.namespaceURI !== PROTOCOL_NS || root.localName !== 'Response') return null;
    return root.getAttribute('InResponseTo') || null;
  } catch {
    return null;
  }
}
