import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ValidationError } from '../errors';
import { isPublicAddress } from './public-address';

const MAX_BYTES = 1024 * 1024;
const TIMEOUT_MS = 10_000;

const problem = (code: string, message: string) => ValidationError.field('metadataUrl', code, message);

// One answer for refused, reset, timed out, blocked, unresolvable: different texts per case would let a dashboard
// user map which internal hosts and ports exist (a port-scan oracle).
// The same text names the switch for private addresses whatever the cause, so it tells nothing about the network.
const unreachable = () => problem('fetch_failed', 'Portico could not fetch the metadata URL. Check that it is a public address that answers with the metadata XML. Private and internal addresses are refused unless the Portico server runs with PORTICO_ALLOW_PRIVATE_URLS=true.');

class Unreachable extends Error {}

/** The addresses Portico will connect to for `hostname`, refused unless every one of them is public. */
export async function checkedAddresses(hostname: string, allowPrivate: boolean): Promise<{ address: string; family: number }[]> {
  const literal = hostname.replace(/^\[|\]$/g, '');
  const found = isIP(literal) ? [{ address: literal, family: isIP(literal) }] : await dns.lookup(hostname, { all: true, verbatim: true }).catch(() => []);
  // All, not some: a name answering one public and one private address could be steered to the private one.
  if (!found.length || (!allowPrivate && !found.every((a) => isPublicAddress(a.address)))) throw new Unreachable();
  return found;
}

/** Connects to the addresses already checked, so the name is not resolved a second time (no DNS rebinding). */
export function pinnedLookup(addresses: { address: string; family: number }[]): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/** GETs IdP metadata: http(s) only, public addresses only (unless allowed), 10 s in all, 1 MB, no redirects. */
export async function fetchMetadata(url: string, opts: { allowPrivate?: boolean; timeoutMs?: number } = {}): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem('invalid_url', 'Enter the metadata URL your identity provider shows, starting with https://.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw problem('invalid_url', 'The metadata URL must start with https:// or http://.');
  const signal = AbortSignal.timeout(opts.timeoutMs ?? TIMEOUT_MS);
  try {
    const addresses = await checkedAddresses(parsed.hostname, opts.allowPrivate ?? false);
    return await download(parsed, addresses, signal);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw unreachable();
  }
}

function download(url: URL, addresses: { address: string; family: number }[], signal: AbortSignal): Promise<string> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { signal, lookup: pinnedLookup(addresses), agent: false, headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(problem('fetch_failed', `The metadata URL answered HTTP ${res.statusCode}; expected 200 with the metadata XML.`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BYTES) return void chunks.push(chunk);
        req.destroy();
        reject(problem('too_large', 'The metadata is larger than 1 MB.'));
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
