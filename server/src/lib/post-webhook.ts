import http from 'node:http';
import https from 'node:https';
import { checkedAddresses, pinnedLookup } from './fetch-metadata';

export interface WebhookResponse {
  /** The HTTP status, or null when no answer came (refused, timed out, blocked). */
  status: number | null;
  /** At most `maxBodyBytes` of the answer, as text. */
  body: string;
  error: string | null;
  durationMs: number;
}

export interface PostOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
  maxBodyBytes?: number;
}

/**
 * POSTs a webhook: public addresses only unless allowed (connecting to exactly the addresses checked), one
 * deadline for connect, send and answer, no redirects followed (a 3xx is an answer, and not a 2xx), and the answer
 * read only up to the cap, then the socket is dropped: a hostile receiver costs a bounded time and memory.
 */
export async function postWebhook(url: string, body: string, headers: Record<string, string>, opts: PostOptions): Promise<WebhookResponse> {
  const started = Date.now();
  const done = (r: Omit<WebhookResponse, 'durationMs'>): WebhookResponse => ({ ...r, durationMs: Date.now() - started });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return done({ status: null, body: '', error: 'invalid_url' });
  }
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  let addresses: { address: string; family: number }[];
  try {
    addresses = await checkedAddresses(parsed.hostname, opts.allowPrivate);
  } catch {
    return done({ status: null, body: '', error: 'address_not_allowed' });
  }
  const cap = opts.maxBodyBytes ?? 4096;
  return new Promise((resolve) => {
    const client = parsed.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (r: Omit<WebhookResponse, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve(done(r));
    };
    const req = client.request(parsed, { method: 'POST', signal, lookup: pinnedLookup(addresses), agent: false, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < cap) chunks.push(chunk.subarray(0, cap - size));
        size += chunk.length;
        if (size >= cap) {
          req.destroy();
          finish({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8'), error: null });
        }
      });
      res.on('end', () => finish({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8'), error: null }));
      res.on('close', () => finish({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8'), error: signal.aborted ? 'timeout' : res.complete ? null : 'connection_error' }));
      res.on('error', () => finish({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8'), error: signal.aborted ? 'timeout' : 'connection_error' }));
    });
    req.on('error', () => finish({ status: null, body: '', error: signal.aborted ? 'timeout' : 'connection_error' }));
    req.end(body);
  });
}
