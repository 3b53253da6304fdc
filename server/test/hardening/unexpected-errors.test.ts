import { QueryFailedError } from 'typeorm';
import { setLogLevel } from '../../src/lib/logger';
import * as sessions from '../../src/modules/accounts/sessions.service';
import * as scim from '../../src/modules/directories/scim.service';
import * as environments from '../../src/modules/environments/environments.service';
import * as organizations from '../../src/modules/organizations/organizations.service';
import * as ssoFlow from '../../src/modules/sso-sessions/sso-flow';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup } from '../helpers/scim';

/**
 * An error nobody expected (here a QueryFailedError, as a NUL once caused) inside each router: answered 500 in the
 * route family's shape, its stack and SQL logged server-side and never sent, whatever NODE_ENV says.
 */

type Setup = Awaited<ReturnType<typeof buildDirectorySetup>>;

const failure = () => new QueryFailedError('SELECT "secret" FROM "api_keys" WHERE "id" = $1', ['x'], new Error('invalid byte sequence for encoding "UTF8": 0x00'));

const rows: { route: string; breaks: () => jest.SpyInstance; request: (s: Setup) => { path: string; init?: RequestInit }; shape: RegExp; body: (text: string) => unknown }[] = [
  {
    route: 'GET /sso/authorize (an HTML page)',
    breaks: () => jest.spyOn(environments, 'environmentByClientId').mockRejectedValue(failure()),
    request: (s) => ({ path: `/sso/authorize?client_id=${s.environment.clientId}&redirect_uri=http://localhost:4100/callback&response_type=code&organization=${s.org.id}` }),
    shape: /text\/html/,
    body: (text) => /^<!doctype html>[\s\S]*Something went wrong/.test(text),
  },
  {
    route: 'POST /sso/token (an OAuth error)',
    breaks: () => jest.spyOn(ssoFlow, 'exchangeCode').mockRejectedValue(failure()),
    request: (s) => ({ path: '/sso/token', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: s.environment.clientId, code: 'x' }) } }),
    shape: /application\/json/,
    body: (text) => JSON.parse(text).error === 'server_error',
  },
  {
    route: 'GET /organizations/:id (a WorkOS error)',
    breaks: () => jest.spyOn(organizations, 'getOrganization').mockRejectedValue(failure()),
    request: (s) => ({ path: `/organizations/${s.org.id}`, init: { headers: { authorization: `Bearer ${s.apiKey}` } } }),
    shape: /application\/json/,
    body: (text) => JSON.parse(text).code === 'server_error',
  },
  {
    route: 'GET /scim/v2/:dir/Users (a SCIM error)',
    breaks: () => jest.spyOn(scim, 'listUsers').mockRejectedValue(failure()),
    request: (s) => ({ path: `/scim/v2/${s.directoryId}/Users`, init: { headers: { authorization: `Bearer ${s.token}` } } }),
    shape: /application\/scim\+json/,
    body: (text) => JSON.parse(text).status === '500',
  },
  {
    route: 'GET /compliance/documents/:id (JSON)',
    breaks: () => jest.spyOn(sessions, 'resolveViewer').mockRejectedValue(failure()),
    request: () => ({ path: '/compliance/documents/security-overview' }),
    shape: /application\/json/,
    body: (text) => JSON.parse(text).code === 'server_error',
  },
];

let app: TestApp;
let setup: Setup;
let logged: string[];

beforeAll(async () => {
  app = await startTestApp();
  setup = await buildDirectorySetup(app);
});
afterAll(() => app.close());

beforeEach(() => {
  logged = [];
  setLogLevel('error');
  jest.spyOn(process.stderr, 'write').mockImplementation((line) => {
    logged.push(String(line));
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  setLogLevel('silent');
});

describe('an unexpected error inside a router', () => {
  it.each(rows.map((row) => [row.route, row] as const))('%s: 500 in its shape, stack logged, nothing internal sent', async (_route, row) => {
    const spy = row.breaks();
    const { path, init } = row.request(setup);
    const res = await fetch(`${app.url}${path}`, { redirect: 'manual', ...init });
    const text = await res.text();
    expect(spy).toHaveBeenCalled();
    expect({ status: res.status, text: text.slice(0, 200) }).toMatchObject({ status: 500 });
    expect(res.headers.get('content-type')).toMatch(row.shape);
    expect(row.body(text)).toBe(true);
    expect(text).not.toMatch(/QueryFailedError|SELECT|invalid byte sequence|node_modules|\bat .+:\d+:\d+/);
    expect(logged.join('')).toContain('QueryFailedError');
  });
});
