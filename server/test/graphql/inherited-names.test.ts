import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup } from '../helpers/scim';

/**
 * A user string that indexes a table (directory types, SAML connection types, SCIM filter attributes) must be one of
 * the table's own entries: `in` and `TABLE[name]` also accept what every object inherits, which reached TypeORM as a
 * function (raw SQL) and answered 500. Each inherited name must get a 4xx naming the field and the valid values.
 */
const INHERITED = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'];

let app: TestApp;
let setup: Awaited<ReturnType<typeof buildDirectorySetup>>;
beforeAll(async () => {
  app = await startTestApp();
  setup = await buildDirectorySetup(app);
});
afterAll(() => app.close());

type Case = [entry: string, field: string, validExample: string, run: (name: string) => Promise<{ code?: string; details: { field: string; message: string }[]; message: string }>];

const ENTRY_POINTS: Case[] = [
  ['createDirectory(type)', 'type', 'okta scim v2.0', (name) =>
    setup.admin.error(`mutation($input: CreateDirectoryInput!) { createDirectory(input: $input) { token } }`, { input: { organizationId: setup.org.id, type: name } })],
  ['createSamlConnection(connectionType)', 'connectionType', 'OktaSAML', (name) =>
    setup.admin.error(`mutation($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) { id } }`, { input: { organizationId: setup.org.id, connectionType: name } })],
  ['updateSamlConnection(connectionType)', 'connectionType', 'OktaSAML', (name) =>
    setup.admin.error(`mutation($input: UpdateSamlConnectionInput!) { updateSamlConnection(input: $input) { id } }`, { input: { id: setup.connection.id, connectionType: name } })],
];

describe('GraphQL inputs that index a table', () => {
  const rows = ENTRY_POINTS.flatMap(([entry, field, valid, run]) => INHERITED.map((name) => [entry, name, field, valid, run] as const));
  it.each(rows)('%s = "%s": BAD_USER_INPUT naming the field and the valid values', async (_entry, name, field, valid, run) => {
    const error = await run(name);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details[0]).toMatchObject({ field });
    expect(error.details[0]!.message).toContain(valid);
  });
});

describe('SCIM filters that index the supported attributes', () => {
  it.each(INHERITED)('filter=%s eq "x": 400 invalidFilter naming the supported attributes', async (name) => {
    for (const [resource, supported] of [['Users', 'userName'], ['Groups', 'displayName']]) {
      const res = await setup.scim('GET', `/${resource}?filter=${encodeURIComponent(`${name} eq "x"`)}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ scimType: 'invalidFilter' });
      expect(res.body.detail).toContain(supported);
      expect(res.body.detail).toContain(`"${name}"`);
    }
  });
});
