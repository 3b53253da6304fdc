import { startTestApp, type TestApp } from '../helpers/app';
import { buildTeam } from '../helpers/factories';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const SET = `mutation($input: SetBillingInput!) { setBilling(input: $input) { companyName country card { brand brandLabel last4 expMonth expYear } } }`;
const address = { companyName: 'Acme Inc', addressLine1: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'us' };
const card = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2031, cvc: '123' };
const LOCK = `query($id: ID!) { environment(id: $id) { kind locked lockedReason } }`;

describe('billing unlocks Production', () => {
  it('keeps a new workspace’s Production locked: every Production mutation answers FORBIDDEN billing_required', async () => {
    const team = await buildTeam(app.db, app.url);
    const [staging, production] = team.environments;
    expect((await team.as.SUPPORT.data(LOCK, { id: production!.id })).environment).toEqual({ kind: 'PRODUCTION', locked: true, lockedReason: expect.stringContaining('billing') });
    expect((await team.as.ADMIN.data(LOCK, { id: staging!.id })).environment.locked).toBe(false);
    const attempts: [string, Record<string, unknown>][] = [
      ['mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { environmentId: production!.id, name: 'x' } }],
      ['mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input: { environmentId: production!.id, name: 'x' } }],
      ['mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }', { input: { environmentId: production!.id, uri: 'https://app.example.com/cb' } }],
      ['mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id } }', { input: { environmentId: production!.id, key: 'manager', label: 'Manager' } }],
      ['query($id: ID!) { environment(id: $id) { apiKeys { edges { node { id } } } } }', { id: production!.id }],
    ];
    for (const [query, variables] of attempts) {
      const error = await team.as.ADMIN.error(query, variables);
      expect([error.code, error.reason]).toEqual(['FORBIDDEN', 'billing_required']);
    }
    expect((await team.as.ADMIN.data(attempts[1]![0], { input: { environmentId: staging!.id, name: 'Staging works' } })).createOrganization.id).toMatch(/^org_/);
  });

  it('unlocks Production for the rest of the same operation: fields resolved after setBilling see the new billing', async () => {
    const team = await buildTeam(app.db, app.url);
    const workspace = '{ billingConfigured environments { kind locked lockedReason } }';
    const data = await team.as.ADMIN.data(`mutation($input: SetBillingInput!) {
      before: updateTeamDetails(input: { name: "Acme" }) ${workspace}
      setBilling(input: $input) { companyName }
      after: updateTeamDetails(input: { name: "Acme" }) ${workspace}
    }`, { input: { address, card } });
    expect(data.before).toEqual({ billingConfigured: false, environments: [
      { kind: 'STAGING', locked: false, lockedReason: null },
      { kind: 'PRODUCTION', locked: true, lockedReason: expect.stringContaining('billing') },
    ] });
    expect(data.after).toEqual({ billingConfigured: true, environments: [
      { kind: 'STAGING', locked: false, lockedReason: null },
      { kind: 'PRODUCTION', locked: false, lockedReason: null },
    ] });
  });

  it('lets only Admins set billing, validates the card, keeps no card number, and unlocks Production', async () => {
    const team = await buildTeam(app.db, app.url);
    const production = team.environments[1]!;
    for (const role of ['DEVELOPER', 'SUPPORT'] as const) {
      expect(await team.as[role].error(SET, { input: { address, card } })).toMatchObject({ code: 'FORBIDDEN', reason: 'role_required' });
      expect((await team.as[role].error('{ viewer { workspace { billing { companyName } } } }')).code).toBe('FORBIDDEN');
      expect((await team.as[role].data('{ viewer { workspace { billingConfigured } } }')).viewer.workspace.billingConfigured).toBe(false);
    }
    const invalid = await team.as.ADMIN.error(SET, { input: { address: { ...address, country: 'USA', city: '' }, card: { ...card, number: '4242 4242 4242 4241', expYear: 2020 } } });
    expect(invalid.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`)).toEqual(['address.city:required', 'address.country:invalid_country', 'card.number:invalid_checksum', 'card.expYear:expired']);
    expect(JSON.stringify(invalid)).not.toContain('4242424242424241');

    const { setBilling } = await team.as.ADMIN.data(SET, { input: { address, card } });
    expect(setBilling).toEqual({ companyName: 'Acme Inc', country: 'US', card: { brand: 'visa', brandLabel: 'Visa', last4: '4242', expMonth: 12, expYear: 2031 } });
    const [row] = await app.db.query('SELECT * FROM workspace_billing WHERE workspace_id = $1', [team.workspace.id]);
    expect(JSON.stringify(row)).not.toMatch(/424242424242|4242 4242/);
    expect(row.payment_token).toMatch(/^tok_local_[0-9a-f]{32}$/);

    expect((await team.as.DEVELOPER.data(LOCK, { id: production.id })).environment.locked).toBe(false);
    const { createApiKey } = await team.as.DEVELOPER.data('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { environmentId: production.id, name: 'Live' } });
    expect(createApiKey.secret).toMatch(/^sk_live_/);
    const rest = await fetch(`${app.url}/organizations`, { headers: { authorization: `Bearer ${createApiKey.secret}` } });
    expect(rest.status).toBe(200);

    const { updateBillingAddress } = await team.as.ADMIN.data('mutation($a: BillingAddressInput!) { updateBillingAddress(address: $a) { city card { last4 } } }', { a: { ...address, city: 'Shelbyville' } });
    expect(updateBillingAddress).toEqual({ city: 'Shelbyville', card: { last4: '4242' } });
    const replaced = await team.as.ADMIN.data(SET, { input: { address, card: { number: '3782 822463 10005', expMonth: 1, expYear: 2030, cvc: '1234' } } });
    expect(replaced.setBilling.card).toMatchObject({ brand: 'amex', last4: '0005' });
  });
});
