import { SamlError } from './saml-error';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The XML inside a posted SAMLResponse: strict base64, valid UTF-8, no NUL bytes. */
export function decodeSamlResponse(samlResponse: string): string {
  const compact = samlResponse.replace(/\s+/g, '');
  if (!compact || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new SamlError({ reason: 'not_base64', message: 'SAMLResponse is not base64' });
  }
  const bytes = Buffer.from(compact, 'base64');
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SamlError({ reason: 'not_utf8', message: 'SAMLResponse does not decode to UTF-8 text' });
  }
  if (xml.includes('\u0000')) throw new SamlError({ reason: 'not_utf8', message: 'SAMLResponse contains NUL bytes' });
  return xml;
}
