import { isUtf8 } from 'node:buffer';
import { SamlError } from './saml-error';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The XML inside a posted SAMLResponse: strict base64 (the alphabet, padding only at the end; whitespace ignored),
 * valid UTF-8, no NUL bytes. The common case is proven natively (re-encoding the bytes gives the text back); only text
 * that does not round-trip (whitespace, non-zero pad bits, or not base64) meets the regular expression, slow over ~12 KB.
 */
export function decodeSamlResponse(samlResponse: string): string {
  let bytes = Buffer.from(samlResponse, 'base64');
  // Canonical base64 without whitespace (what browsers post) is proven by the round trip alone; anything else is
  // compacted and held to the alphabet.
  if (!samlResponse || bytes.toString('base64') !== samlResponse) {
    const compact = samlResponse.replace(/\s+/g, '');
    if (!compact || compact.length % 4 !== 0 || !BASE64.test(compact)) throw notBase64();
    bytes = Buffer.from(compact, 'base64');
  }
  if (!isUtf8(bytes)) throw new SamlError({ reason: 'not_utf8', message: 'SAMLResponse does not decode to UTF-8 text' });
  const xml = bytes.toString('utf8');
  if (xml.includes('\u0000')) throw new SamlError({ reason: 'not_utf8', message: 'SAMLResponse contains NUL bytes' });
  return xml;
}

const notBase64 = () => new SamlError({ reason: 'not_base64', message: 'SAMLResponse is not base64' });
