import { getNamedType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, type GraphQLSchema } from 'graphql';
import { getSchema } from '../../src/graphql/schema';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, ENTERPRISE, oktaUser } from '../helpers/scim';

/**
 * The review's critical finding: one SCIM PATCH with `path: "__proto__.portico_polluted"` wrote to Object.prototype,
 * and every tenant's requests then failed. Each row sends such an attack to one JSON entry point; after each, the
 * process must be unpolluted and another tenant must still work. Add a row for every new JSON entry point.
 */

let app: TestApp;
let directory: Awaited<ReturnType<typeof buildDirectorySetup>>;
let bystander: Awaited<ReturnType<typeof buildDirectorySetup>>;
let userId: string;
let groupId: string;

beforeAll(async () => {
  app = await startTestApp();
  directory = await buildDirectorySetup(app);
  bystander = await buildDirectorySetup(app);
  userId = (await directory.scim('POST', '/Users', oktaUser('target@acme.com'))).body.id;
  groupId = (await directory.scim('POST', '/Groups', { displayName: 'Target' })).body.id;
  await bystander.scim('POST', '/Users', oktaUser('bystander@acme.com'));
});
afterAll(() => app.close());

const polluted = () => Object.keys(Object.prototype).concat(Object.keys(Array.prototype));
afterEach(() => {
  // A failing row must not take the rest of the file down with it.
  for (const key of polluted()) delete (Object.prototype as Record<string, unknown>)[key];
  for (const key of Object.keys(Array.prototype)) delete (Array.prototype as unknown as Record<string, unknown>)[key];
});

const patchOp = (operation: string) => `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[${operation}]}`;
const user = (extra: string) => `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"evil-${Math.random().toString(36).slice(2)}@acme.com",${extra}}`;
const group = (extra: string) => `{"displayName":"Evil ${Math.random().toString(36).slice(2)}",${extra}}`;

// [label, method, path (:user / :group), raw JSON body]
const SCIM_ATTACKS: [string, string, string, string][] = [
  ['user PATCH path __proto__.x', 'PATCH', '/Users/:user', patchOp('{"op":"add","path":"__proto__.portico_polluted","value":"x"}')],
  ['user PATCH path in another case', 'PATCH', '/Users/:user', patchOp('{"op":"replace","path":"__PROTO__.portico_polluted","value":"x"}')],
  ['user PATCH path constructor.prototype', 'PATCH', '/Users/:user', patchOp('{"op":"add","path":"constructor.prototype","value":{"portico_polluted":"x"}}')],
  ['user PATCH path through a filter', 'PATCH', '/Users/:user', patchOp('{"op":"add","path":"__proto__[type eq \\"work\\"].portico_polluted","value":"x"}')],
  ['user PATCH path in an extension URN', 'PATCH', '/Users/:user', patchOp(`{"op":"add","path":"${ENTERPRISE}:__proto__","value":{"portico_polluted":"x"}}`)],
  ['user PATCH path with a dotted extension', 'PATCH', '/Users/:user', patchOp(`{"op":"add","path":"${ENTERPRISE}.__proto__.portico_polluted","value":"x"}`)],
  ['user PATCH without path, dotted key', 'PATCH', '/Users/:user', patchOp('{"op":"add","value":{"__proto__.portico_polluted":"x"}}')],
  ['user PATCH without path, nested __proto__', 'PATCH', '/Users/:user', patchOp('{"op":"replace","value":{"name":{"__proto__":{"portico_polluted":"x"}}}}')],
  ['user PATCH without path, constructor key', 'PATCH', '/Users/:user', patchOp('{"op":"add","value":{"Constructor":{"prototype":{"portico_polluted":"x"}}}}')],
  ['user PATCH value nested in an array', 'PATCH', '/Users/:user', patchOp('{"op":"add","path":"emails","value":[{"value":"a@acme.com","__proto__":{"portico_polluted":"x"}}]}')],
  ['user PUT with __proto__', 'PUT', '/Users/:user', user('"__proto__":{"portico_polluted":"x"}')],
  ['user PUT with a nested prototype key', 'PUT', '/Users/:user', user('"name":{"givenName":"A","prototype":{"portico_polluted":"x"}}')],
  ['user POST with __proto__', 'POST', '/Users', user('"__proto__":{"portico_polluted":"x"}')],
  ['user POST with a dotted key', 'POST', '/Users', user('"name.__proto__":{"portico_polluted":"x"}')],
  ['group PATCH path __proto__.x', 'PATCH', '/Groups/:group', patchOp('{"op":"add","path":"__proto__.portico_polluted","value":"x"}')],
  ['group PATCH without path, dotted key', 'PATCH', '/Groups/:group', patchOp('{"op":"replace","value":{"__proto__.portico_polluted":"x"}}')],
  ['group PATCH without path, members beside __proto__', 'PATCH', '/Groups/:group', patchOp('{"op":"add","value":{"members":[],"__proto__":{"portico_polluted":"x"}}}')],
  ['group PUT with __proto__', 'PUT', '/Groups/:group', group('"__proto__":{"portico_polluted":"x"}')],
  ['group POST with constructor.prototype', 'POST', '/Groups', group('"constructor":{"prototype":{"portico_polluted":"x"}}')],
];

async function expectOthersUnharmed(): Promise<void> {
  expect(({} as Record<string, unknown>).portico_polluted).toBeUndefined();
  expect(polluted()).toEqual([]);
  expect((await bystander.scim('GET', '/Users')).body.totalResults).toBe(1);
  expect((await bystander.admin.data(`query($id: ID!) { directory(id: $id) { id } }`, { id: bystander.directoryId })).directory.id).toBe(bystander.directoryId);
  expect((await bystander.workos.organizations.getOrganization(bystander.org.id)).id).toBe(bystander.org.id);
  expect((await fetch(`${app.url}/health`)).status).toBe(200);
}

describe('prototype pollution through SCIM', () => {
  it.each(SCIM_ATTACKS)('%s: 400 invalidPath, and every tenant still works', async (_label, method, path, body) => {
    const res = await directory.scim(method, path.replace(':user', userId).replace(':group', groupId), body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
    expect(res.body.detail).toMatch(/__proto__|constructor|prototype/i);
    await expectOthersUnharmed();
  });

  it('leaves the attacked resources as they were (no half-written row)', async () => {
    const before = await app.db.query('SELECT raw_attributes, updated_at FROM directory_users WHERE id = $1', [userId]);
    await directory.scim('PATCH', `/Users/${userId}`, patchOp('{"op":"replace","path":"displayName","value":"changed"},{"op":"add","path":"__proto__.portico_polluted","value":"x"}'));
    expect(await app.db.query('SELECT raw_attributes, updated_at FROM directory_users WHERE id = $1', [userId])).toEqual(before);
  });

  it('still accepts ordinary names that merely contain the words', async () => {
    const res = await directory.scim('PATCH', `/Users/${userId}`, patchOp('{"op":"add","path":"title","value":"constructor"},{"op":"add","path":"emails[type eq \\"__proto__\\"].value","value":"p@acme.com"}'));
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('constructor');
    await expectOthersUnharmed();
  });
});

describe('prototype pollution through REST', () => {
  const REST_ATTACKS: [string, string, string, string, RegExp][] = [
    ['organization POST, top-level __proto__', 'POST', '/organizations', '{"name":"Evil","__proto__":{"portico_polluted":"x"}}', /^__proto__$/],
    ['organization POST, metadata __proto__', 'POST', '/organizations', '{"name":"Evil","metadata":{"__proto__":"x"}}', /^metadata\.__proto__$/],
    ['organization PUT, constructor.prototype', 'PUT', '/organizations/:org', '{"name":"Evil","constructor":{"prototype":{"portico_polluted":"x"}}}', /^constructor$/],
    ['domain POST, nested in an array', 'POST', '/organization_domains', '{"organization_id":":org","domain":"evil.example","x":[{"__proto__":{"portico_polluted":"x"}}]}', /^x\[0\]\.__proto__$/],
  ];
  it.each(REST_ATTACKS)('%s: 422 naming the key, and every tenant still works', async (_label, method, path, body, field) => {
    const res = await fetch(`${app.url}${path.replace(':org', directory.org.id)}`, {
      method, headers: { authorization: `Bearer ${directory.apiKey}`, 'content-type': 'application/json' }, body: body.replace(':org', directory.org.id),
    });
    expect(res.status).toBe(422);
    const answer = (await res.json()) as { code: string; errors: { field: string; code: string }[] };
    expect(answer.code).toBe('invalid_request_parameters');
    expect(answer.errors[0]!.field).toMatch(field);
    expect(answer.errors[0]!.code).toBe('forbidden_key');
    await expectOthersUnharmed();
  });
});

describe('prototype pollution through GraphQL', () => {
  const STANDARD = new Set(['String', 'Int', 'Float', 'Boolean', 'ID', 'DateTimeISO']);
  /** Every input position (argument or input field) whose type is a free-form scalar such as JSON / JSONObject. */
  function freeFormInputs(schema: GraphQLSchema): string[] {
    const out: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          const named = getNamedType(field.type);
          if (isScalarType(named) && !STANDARD.has(named.name)) out.push(`${type.name}.${field.name}: ${named.name}`);
        }
      }
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          for (const arg of field.args) {
            const named = getNamedType(arg.type);
            if (isScalarType(named) && !STANDARD.has(named.name)) out.push(`${type.name}.${field.name}(${arg.name}): ${named.name}`);
          }
        }
      }
    }
    return out.sort();
  }

  it('has no JSON-scalar input: typed inputs are rebuilt by graphql-js with their declared fields only', () => {
    // A JSON / JSONObject input would hand the client's object to a resolver as parsed; if one is added, add an
    // attack row for it below and refuse prototype keys in it (findPrototypeKey) before this list is extended.
    expect(freeFormInputs(getSchema())).toEqual([]);
  });

  it.each([
    ['input field __proto__', 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', '{"input":{"environmentId":":env","name":"Evil","__proto__":{"portico_polluted":"x"}}}'],
    ['variables __proto__', 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', '{"__proto__":{"portico_polluted":"x"},"input":{"environmentId":":env","name":"Evil"}}'],
    ['nested list item constructor', 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', '{"input":{"environmentId":":env","name":"Evil","domains":["a.example"],"constructor":{"prototype":{"portico_polluted":"x"}}}}'],
  ])('%s: never reaches Object.prototype, and every tenant still works', async (_label, query, variables) => {
    await fetch(`${app.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: directory.admin.cookie! },
      body: `{"query":${JSON.stringify(query)},"variables":${variables.replace(':env', directory.environment.id)}}`,
    });
    await expectOthersUnharmed();
  });
});

describe('/health', () => {
  it('answers 503 while a built-in prototype carries an enumerable key, 200 again once it is gone', async () => {
    (Object.prototype as Record<string, unknown>).portico_health_probe = 'x';
    try {
      const res = await fetch(`${app.url}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unhealthy', reason: 'prototype_polluted' });
    } finally {
      delete (Object.prototype as Record<string, unknown>).portico_health_probe;
    }
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});
