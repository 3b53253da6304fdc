import { isUtf8 } from 'node:buffer';
import { SamlError } from './saml-error';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The XML inside a posted SAMLResponse: strict base64 (the alphabet, padding only at the end), valid UTF-8, no NUL
 * bytes. The common case is proven natively (re-encoding the bytes gives the text back); only text that does not
 * round-trip (non-zero pad bits) is held to the regular expression, which is slow over ~12 KB.
 */
export function decodeSamlResponse(samlResponse: string): string {
  const compact = /\s/.test(samlResponse) ? samlResponse.replace(/\s+/g, '') : samlResponse;
  if (!compact || compact.length % 4 !== 0) throw notBase64();
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64') !== compact && !BASE64.test(compact)) throw notBase64();
  if (!isUtf8(bytes)) throw new SamlError({ reason: 'not_utf8', message: 'SAMLResponse does not decode to UTF-8 text' });
  const xml = bytes.toString('utf8');
  if (xml.includes('\u0000')) throw new SamlError({ reason: 'not_utf8', message: 'SAMLResponse contains NUL bytes' });
  return xml;
}

const notBase64 = () => new SamlError({ reason: 'not_base64', message: 'SAMLResponse is not base64' });
