import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { startTestApp, type TestApp } from '../helpers/app';
import { freshDatabase, onPostgres } from '../helpers/databases';
import { oktaUser, buildDirectorySetup } from '../helpers/scim';
import { CALLBACK, startSignIn } from '../helpers/sso';

/**
 * Queries are side-effect free (GET-able, cacheable, safe for every role): every field of Query, with every field
 * below it that takes no required argument (to a depth where each object type appears once on the path), runs as
 * each role over a workspace holding one of everything, and no table's content changes.
 */
let app: TestApp;
let own: Awaited<ReturnType<typeof freshDatabase>> | undefined;
// Every table is checksummed before and after: on the shared PostgreSQL test database another test process writes
// meanwhile, so this file has a database of its own (the embedded engine runs one process at a time).
beforeAll(async () => {
  own = onPostgres ? await freshDatabase('readonly') : undefined;
  app = await startTestApp({}, { databaseUrl: own?.url });
});
afterAll(async () => {
  await app.close();
  await own?.drop();
});

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));

const needsArguments = (field: GraphQLField<unknown, unknown>) => field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);

/** Every field without required arguments, object types followed until one repeats on the path or `depth` runs out. */
function selection(type: GraphQLObjectType, seen: readonly string[], depth: number): string {
  const fields = Object.values(type.getFields()).filter((f) => !needsArguments(f)).flatMap((f) => {
    const named = getNamedType(f.type);
    if (isLeafType(named)) return [f.name];
    if (!isObjectType(named)) return [`${f.name} { __typename }`];
    if (seen.includes(named.name) || depth === 0) return [];
    return [`${f.name} { __typename ${selection(named, [...seen, named.name], depth - 1)} }`];
  });
  return fields.join(' ');
}

/**
 * The documents for one Query field: one per field of the type it returns (the whole tree at once is over the query
 * cost limit), each as deep as the limit allows.
 */
function documentsFor(field: GraphQLField<unknown, unknown>, call: string): string[][] {
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return [[`{ ${field.name}${call} }`]];
  return Object.values(named.getFields()).filter((f) => !needsArguments(f)).map((child) => {
    const childType = getNamedType(child.type);
    if (!isObjectType(childType)) return [`{ ${field.name}${call} { __typename ${child.name}${isLeafType(childType) ? '' : ' { __typename }'} } }`];
    // The deepest first; shallower ones only when it is over the cost limit.
    return [5, 3, 1].map((depth) => `{ ${field.name}${call} { __typename ${child.name} { __typename ${selection(childType, [named.name, childType.name], depth)} } } }`);
  });
}

/** Every table's content, as a checksum per table (the job queue's own bookkeeping left out: it runs on its own). */
async function tableChecksums(): Promise<Record<string, string>> {
  const tables: { name: string }[] = await app.db.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'j%' ORDER BY 1`);
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    // A signed-in request moves its dashboard session's last_seen_at (sign-in bookkeeping, not the query's doing).
    const row_ = name === 'dashboard_sessions' ? `(t.token_hash, t.user_id, t.workspace_id, t.expires_at, t.ip, t.user_agent, t.created_at)` : 't';
    const [row] = await app.db.query(`SELECT count(*)::text || ':' || coalesce(sum(hashtextextended(${row_}::text, 0)), 0)::text AS sum FROM "${name}" t`);
    out[name] = row.sum;
  }
  return out;
}

describe('GraphQL queries write nothing', () => {
  it('every query of the schema, as every role, leaves every table as it was', async () => {
    const setup = await buildDirectorySetup(app, 'okta scim v2.0', 'FULL_ENVIRONMENT');
    const { admin, team, environment } = setup;
    await setup.scim('POST', '/Users', oktaUser('ada@acme.com'));
    await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's', clientId: environment.clientId }));
    await admin.data(`mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`, { input: { environmentId: environment.id, endpointUrl: 'https://hooks.example/portico', events: ['connection.activated'] } })
      .catch(() => null);
    const id = async (sql: string) => ((await app.db.query(sql, [environment.id]))[0]?.id as string | undefined) ?? 'none_01J0000000000000000000000';
    const args: Record<string, string> = {
      connection: setup.connection.id, ssoConnection: setup.connection.id, directory: setup.directoryId, organization: setup.org.id, environment: environment.id,
      directoryUser: await id('SELECT u.id FROM directory_users u JOIN directories d ON d.id = u.directory_id JOIN organizations o ON o.id = d.organization_id WHERE o.environment_id = $1'),
      session: await id('SELECT s.id FROM sso_sessions s JOIN connections c ON c.id = s.connection_id JOIN organizations o ON o.id = c.organization_id WHERE o.environment_id = $1'),
      oauthSession: await id('SELECT id FROM sso_sessions WHERE environment_id = $1 AND provider IS NOT NULL'),
      webhookEndpoint: await id('SELECT id FROM webhook_endpoints WHERE environment_id = $1'),
      invitationPreview: 'not-a-token',
    };
    const queries = Object.values(schema.getQueryType()!.getFields()).map((field) => {
      const argument = field.args.find((a) => isNonNullType(a.type)) ?? field.args.find((a) => a.name === 'id');
      const call = argument && args[field.name] ? `(${argument.name}: ${JSON.stringify(args[field.name])})` : '';
      return { name: field.name, documents: documentsFor(field, call) };
    });
    expect(queries.map((q) => q.name).sort()).toEqual(Object.keys(args).concat(['outbox', 'viewer']).sort());

    const before = await tableChecksums();
    const answered = new Set<string>();
    let overCost = 0;
    for (const role of ['SUPPORT', 'DEVELOPER', 'ADMIN'] as const) {
      for (const { name, documents } of queries) {
        for (const variants of documents) {
          for (const document of variants) {
            const result = await team.as[role].request(document);
            if (result.errors?.some((e: { extensions?: { code?: string } }) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')) {
              overCost += 1;
              continue;
            }
            if (result.data?.[name]) answered.add(`${role} ${name}`);
            break;
          }
        }
      }
    }
    expect(await tableChecksums()).toEqual(before);
    // The run reached the data: each role read its environment and the sign-in session.
    expect([...answered]).toEqual(expect.arrayContaining(['SUPPORT environment', 'SUPPORT session', 'SUPPORT viewer', 'ADMIN environment', 'ADMIN organization', 'ADMIN webhookEndpoint']));
    // Most fields ran at the first depth tried: only a few are over the cost limit at their deepest.
    expect(overCost).toBeLessThan(queries.reduce((n, q) => n + q.documents.length, 0));
  }, 300_000);
});
