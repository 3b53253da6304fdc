import { decodeSamlResponse } from './decode';
import { parseUntrustedXml } from './xml';

const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';

/**
 * The request a posted SAMLResponse says it answers (`Response/@InResponseTo`), or null: unverified, a hint for
 * finding the sign-in to check it against when RelayState names none. Nothing is trusted from it: the response is
 * then validated in full, InResponseTo included, against that sign-in's request ID.
 */
export function claimedInResponseTo(samlResponse: string): string | null {
  try {
    const root = parseUntrustedXml(decodeSamlResponse(samlResponse)).documentElement;
    if (root.namespaceURI !== PROTOCOL_NS || root.localName !== 'Response') return null;
    return root.getAttribute('InResponseTo') || null;
  } catch {
    return null;
  }
}
