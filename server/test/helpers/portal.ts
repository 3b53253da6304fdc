import { inflateRawSync } from 'node:zlib';
import { WorkOS } from '@workos-inc/node';
import type { TestApp } from './app';
import { buildTeam } from './factories';
import { CALLBACK, postToAcs, TestIdp } from './sso';

const SETUP = {
  key: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
  redirect: `mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }`,
  org: `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
};

/** A workspace with an API key, a redirect URI and an organization with no connection yet: what the portal sets up. */
export async function buildPortalSetup(app: TestApp, orgName = 'Acme') {
  const team = await buildTeam(app.db, app.url);
  const environment = team.environments[0]!;
  const admin = team.as.ADMIN;
  const { secret } = (await admin.data(SETUP.key, { input: { environmentId: environment.id, name: 'Tests' } })).createApiKey;
  await admin.data(SETUP.redirect, { input: { environmentId: environment.id, uri: CALLBACK } });
  const org = (await admin.data(SETUP.org, { input: { environmentId: environment.id, name: orgName, domains: ['acme.com'] } })).createOrganization as { id: string };
  const port = Number(new URL(app.url).port);
  const workos = new WorkOS(secret, { apiHostname: '127.0.0.1', port, https: false, clientId: environment.clientId, maxRetries: 0 });
  return { team, environment, admin, org, workos, apiKey: secret as string };
}

/** An IT admin's browser: opens a portal link, keeps the portal cookie, calls the portal API. */
export class PortalBrowser {
  cookie: string | undefined;
  constructor(readonly app: TestApp) {}

  /** The link's path on the test app (links carry PUBLIC_URL, http://portico.test). */
  local(url: string): string {
    const u = new URL(url);
    return `${this.app.url}${u.pathname}${u.search}`;
  }

  async open(link: string) {
    const res = await fetch(this.local(link), { redirect: 'manual' });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('portico_portal='));
    if (set) this.cookie = set.split(';')[0];
    return { status: res.status, location: res.headers.get('location'), setCookie: set ?? null, body: res.status === 303 ? '' : await res.text() };
  }

  async api(method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    const res = await fetch(`${this.app.url}/portal/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async get(path: string) {
    const res = await fetch(`${this.app.url}${path}`, { redirect: 'manual', headers: this.cookie ? { cookie: this.cookie } : {} });
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  }

  /**
   * Runs the portal's test sign-in through `idp`: starts it, answers the AuthnRequest (or not, with `respond`),
   * lands on Portico's result URL and returns the result page's data.
   */
  async testSignIn(idp: TestIdp, respond: (req: { acsUrl: string; spEntityId: string; inResponseTo: string }) => Promise<string> = (r) => idp.response(r, { inResponseTo: r.inResponseTo })) {
    const started = await this.api('POST', '/sso/test');
    if (started.status !== 200) return { started, result: null };
    const location = new URL(started.body.location as string);
    const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    const inResponseTo = /ID="([^"]+)"/.exec(xml)![1]!;
    const { connection } = (await this.api('GET', '/sso')).body;
    const { acsUrl, spEntityId } = connection.sp as { acsUrl: string; spEntityId: string };
    const connectionId = connection.id as string;
    const posted = await postToAcs(this.app, connectionId, await respond({ acsUrl, spEntityId, inResponseTo }), location.searchParams.get('RelayState'));
    const landing = await this.get(`${posted.location!.pathname}${posted.location!.search}`);
    const id = decodeURIComponent(landing.location!.split('/').pop()!);
    return { started, posted, landing, result: await this.api('GET', `/sso/tests/${id}`) };
  }
}
