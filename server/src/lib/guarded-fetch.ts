import http from 'node:http';
import https from 'node:https';
import { checkedAddresses, pinnedLookup } from './fetch-metadata';

const MAX_BYTES = 1024 * 1024;
const TIMEOUT_MS = 10_000;

/** Why a guarded request was not made or not completed; the message says nothing about the internal network. */
export class GuardedFetchError extends Error {}

export type GuardedFetch = (url: string, init?: { method?: string; headers?: Record<string, string> | Headers; body?: unknown; signal?: AbortSignal | null }) => Promise<Response>;

/**
 * A `fetch` for URLs an administrator typed (an OIDC IdP's discovery document, token endpoint, JWKS): http(s) only,
 * every resolved address public unless `allowPrivate` (PORTICO_ALLOW_PRIVATE_URLS), the connection pinned to the
 * addresses checked (no DNS rebinding), no redirects followed, 10 s and 1 MB at most. The same guard as IdP metadata
 * URLs (lib/fetch-metadata.ts), shaped as the Fetch API so openid-client and jose can use it (their customFetch).
 */
export function guardedFetch(allowPrivate: boolean): GuardedFetch {
  return async (url, init = {}) => {
    const target = new URL(url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new GuardedFetchError(`Refused to fetch a ${target.protocol} URL`);
    let addresses;
    try {
      addresses = await checkedAddresses(target.hostname, allowPrivate);
    } catch {
      throw new GuardedFetchError(`Refused to fetch ${target.origin}: it does not resolve to public addresses only (PORTICO_ALLOW_PRIVATE_URLS allows private ones)`);
    }
    const headers: Record<string, string> = {};
    new Headers(init.headers as HeadersInit | undefined).forEach((value, key) => { headers[key] = value; });
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    if (body !== undefined && !headers['content-type'] && init.body instanceof URLSearchParams) headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const req = client.request(target, { method: init.method ?? 'GET', headers, signal, lookup: pinnedLookup(addresses), agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BYTES) return void chunks.push(chunk);
          req.destroy();
          reject(new GuardedFetchError(`${target.origin} answered more than 1 MB`));
        });
        res.on('end', () => {
          const out = new Headers();
          for (const [key, value] of Object.entries(res.headers)) if (value !== undefined) for (const v of Array.isArray(value) ? value : [value]) out.append(key, v);
          const status = res.statusCode ?? 500;
          resolve(new Response([101, 204, 205, 304].includes(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: out }));
        });
        res.on('error', reject);
      });
      req.on('error', (err) => reject(err instanceof GuardedFetchError ? err : new GuardedFetchError(`${target.origin} could not be reached`)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  };
}
