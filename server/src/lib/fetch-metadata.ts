import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ValidationError } from '../errors';

const MAX_BYTES = 1024 * 1024;
const TIMEOUT_MS = 10_000;

/** Loopback, private, link-local and unique-local ranges: a metadata URL must not make Portico probe its own network. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const v6 = address.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return v6 === '::' || v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

/** A DNS lookup that refuses private addresses at connect time, so a rebinding name can't slip past a check. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as dns.LookupAddress[];
    const blocked = list.find((a) => isPrivateAddress(a.address));
    if (blocked || !list.length) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

const problem = (code: string, message: string) => ValidationError.field('metadataUrl', code, message);

/** GETs IdP metadata: http(s) only, public addresses only (unless allowed), 10 s, 1 MB, no redirects. */
export async function fetchMetadata(url: string, opts: { allowPrivate?: boolean } = {}): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem('invalid_url', 'Enter the metadata URL your identity provider shows, starting with https://.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw problem('invalid_url', 'The metadata URL must start with https:// or http://.');
  const literal = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!opts.allowPrivate && isIP(literal) && isPrivateAddress(literal)) throw problem('private_address', 'The metadata URL points at a private network address.');
  const client = parsed.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(parsed, { timeout: TIMEOUT_MS, lookup: opts.allowPrivate ? undefined : publicOnlyLookup, headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(problem('fetch_failed', `The metadata URL answered HTTP ${res.statusCode}; expected 200 with the metadata XML.`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) {
          req.destroy();
          reject(problem('too_large', 'The metadata is larger than 1 MB.'));
        } else chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPRIVATE') reject(problem('private_address', 'The metadata URL resolves to a private network address.'));
      else if (err.code === 'ETIMEDOUT') reject(problem('fetch_failed', 'The metadata URL did not answer within 10 seconds.'));
      else reject(problem('fetch_failed', `The metadata URL could not be fetched (${err.code ?? err.message}).`));
    });
  });
}
