import net from 'node:net';

export interface TcpProxy {
  /** `target`'s URL with its host and port replaced by the proxy's. */
  urlFor(target: string): string;
  /** Connections currently piped through. */
  readonly open: number;
  /** As a database crash looks from outside: every piped connection is reset and new ones are refused. */
  cut(): Promise<void>;
  /** Accepts and pipes connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of `host:port` that a test can cut and restore, to take a server (PostgreSQL) away from a
 * process and give it back without touching the server itself.
 */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let listenPort = 0;
  let server: net.Server;

  const accept = (client: net.Socket) => {
    const upstream = net.connect(port, host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = () => new Promise<void>((resolve, reject) => {
    server = net.createServer(accept);
    server.once('error', reject).listen(listenPort, '127.0.0.1', () => {
      listenPort = (server.address() as net.AddressInfo).port;
      resolve();
    });
  });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));

  await listen();
  let listening = true;
  return {
    urlFor(target) {
      const url = new URL(target);
      url.hostname = '127.0.0.1';
      url.port = String(listenPort);
      return url.toString();
    },
    get open() {
      return pairs.size;
    },
    async cut() {
      if (!listening) return;
      listening = false;
      const closed = stopListening();
      // resetAndDestroy: an RST, as a crashed server's kernel sends, rather than a polite FIN.
      for (const [client, upstream] of [...pairs]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
      await closed;
    },
    async restore() {
      if (listening) return;
      await listen();
      listening = true;
    },
    async close() {
      for (const [client, upstream] of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
      if (listening) await stopListening();
      listening = false;
    },
  };
}
