import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { ValidationError } from '../../src/errors';
import { fetchMetadata } from '../../src/lib/fetch-metadata';
import { isPublicAddress } from '../../src/lib/public-address';

const NEUTRAL = { field: 'metadataUrl', code: 'fetch_failed', message: 'Portico could not fetch the metadata URL. Check that it is a public address that answers with the metadata XML. Private and internal addresses are refused unless the Portico server runs with PORTICO_ALLOW_PRIVATE_URLS=true.' };

async function fetchProblem(url: string, allowPrivate = false) {
  try {
    await fetchMetadata(url, { allowPrivate, timeoutMs: 500 });
  } catch (err) {
    if (err instanceof ValidationError) return err.details?.[0];
    throw err;
  }
  throw new Error(`${url} was fetched`);
}

const listen = (server: net.Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

let port: number;
let resetPort: number;
let closedPort: number;
let hangPort: number;
const metadataServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end('<EntityDescriptor/>'));
const resetServer = net.createServer((socket) => socket.resetAndDestroy());
const hangServer = net.createServer(() => {});

beforeAll(async () => {
  port = await listen(metadataServer);
  resetPort = await listen(resetServer);
  const probe = net.createServer();
  closedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  hangPort = await listen(hangServer);
});
afterAll(() => {
  metadataServer.close();
  resetServer.close();
  hangServer.close();
});

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '100.127.255.255', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
    '::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%lo', 'fec0::1', 'ff02::1', '2001:db8::1', '3fff::1', '100::1', '64:ff9b:1::a00:1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::127.0.0.1', '::7f00:1', '::ffff:0:7f00:1',
    '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::1', '2002:a9fe:a9fe::', '2001:0:4136:e378:8000:63bf:80ff:fffe', '2001::1', 'not an address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:81b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'accepts the public address %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('fetchMetadata with private addresses refused', () => {
  const forms = () => [
    `http://127.0.0.1:${port}/meta.xml`,
    `http://2130706433:${port}/meta.xml`,
    `http://0x7f.1:${port}/meta.xml`,
    `http://0177.0.0.1:${port}/meta.xml`,
    `http://127.1:${port}/meta.xml`,
    `http://0x7f000001:${port}/meta.xml`,
    `http://[::1]:${port}/meta.xml`,
    `http://[::ffff:127.0.0.1]:${port}/meta.xml`,
    `http://[::ffff:7f00:1]:${port}/meta.xml`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${port}/meta.xml`,
    `http://[::127.0.0.1]:${port}/meta.xml`,
    `http://[64:ff9b::7f00:1]:${port}/meta.xml`,
    `http://[64:ff9b:1::7f00:1]:${port}/meta.xml`,
    `http://[2002:7f00:1::1]:${port}/meta.xml`,
    `http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:${port}/meta.xml`,
    'http://[::ffff:169.254.169.254]/latest/meta-data',
    'http://169.254.169.254/latest/meta-data',
    `http://localhost:${port}/meta.xml`,
    `http://${'a'.repeat(20)}.invalid/meta.xml`,
  ];

  it('refuses every loopback, link-local and embedded form with the same neutral message', async () => {
    for (const url of forms()) expect([url, await fetchProblem(url)]).toEqual([url, NEUTRAL]);
  });

  it('answers the same for a refused, a reset, a silent and an unresolvable address when private addresses are allowed', async () => {
    expect(await fetchProblem(`http://127.0.0.1:${hangPort}/`, true)).toEqual(NEUTRAL);
    expect(await fetchProblem(`http://127.0.0.1:${closedPort}/`, true)).toEqual(NEUTRAL);
    expect(await fetchProblem(`http://127.0.0.1:${resetPort}/`, true)).toEqual(NEUTRAL);
    expect(await fetchProblem('http://does-not-exist.invalid/', true)).toEqual(NEUTRAL);
  });

  it('fetches from loopback when the operator allows private addresses', async () => {
    await expect(fetchMetadata(`http://[::ffff:127.0.0.1]:${port}/meta.xml`, { allowPrivate: true })).resolves.toBe('<EntityDescriptor/>');
  });

  it('refuses a scheme other than http(s) by name', async () => {
    expect(await fetchProblem('file:///etc/passwd')).toMatchObject({ field: 'metadataUrl', code: 'invalid_url' });
  });
});
