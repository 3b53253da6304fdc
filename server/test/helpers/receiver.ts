import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: string;
  signature: string;
  at: number;
}

/** A local webhook receiver; `respond` decides each answer (status and body, or a hostile behaviour). */
export async function startReceiver(respond: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void = (_q, res) => void res.end('ok')) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '/', body, signature: String(req.headers['workos-signature'] ?? ''), at: Date.now() });
      respond(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    async waitFor(count: number, timeoutMs = 20_000, path?: string) {
      const deadline = Date.now() + timeoutMs;
      const matching = () => received.filter((r) => !path || r.path === path);
      while (matching().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return matching();
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
