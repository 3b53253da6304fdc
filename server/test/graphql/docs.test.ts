import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, NoDeprecatedCustomRule, parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildTeam } from '../helpers/factories';

/**
 * docs/graphql.md can't rot: every operation in it (```graphql blocks, gql`…` in code, the `query` of curl's JSON)
 * validates against the committed schema and uses no deprecated name; the curl example runs as written.
 */
const DOC = fs.readFileSync(path.resolve(__dirname, '../../../docs/graphql.md'), 'utf8');
const fences = (lang: string) => [...DOC.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

function documentsInDocs(): { where: string; source: string }[] {
  const graphql = fences('graphql').map((source) => ({ where: 'graphql block', source }));
  const apollo = fences('ts').flatMap((code) => [...code.matchAll(/gql`([\s\S]*?)`/g)].map((m) => ({ where: 'gql`` in a ts block', source: m[1]! })));
  const curl = fences('sh').flatMap((code) => [...code.matchAll(/--data '([^']*)'/g)].map((m) => ({ where: 'curl --data', source: (JSON.parse(m[1]!) as { query: string }).query })));
  return [...graphql, ...apollo, ...curl];
}

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('docs/graphql.md', () => {
  it('holds at least ten operations, each valid against the schema and free of deprecated names', () => {
    const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
    const documents = documentsInDocs();
    const names = documents.flatMap((d) => parse(d.source).definitions.map((op) => (op as OperationDefinitionNode).name?.value));
    expect(new Set(names).size).toBeGreaterThanOrEqual(10);
    expect(documents.some((d) => d.where === 'curl --data') && documents.some((d) => d.where.startsWith('gql'))).toBe(true);
    const problems = documents.flatMap(({ where, source }) => validate(schema, parse(source), [...specifiedRules, NoDeprecatedCustomRule]).map((e) => `${where}: ${e.message}\n${source}`));
    expect(problems).toEqual([]);
  });

  it('runs the curl example as written, with an API key', async () => {
    const team = await buildTeam(app.db, app.url);
    const staging = team.environments.find((e) => e.kind === 'STAGING')!;
    const { createApiKey } = await team.as.ADMIN.data('mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { environmentId: staging.id, name: 'docs', scope: 'READ_ONLY' } });
    const body = DOC.match(/--data '([^']*)'/)![1]!;
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${createApiKey.secret}`, 'content-type': 'application/json' }, body });
    expect((await res.json()).data.environment).toMatchObject({ id: staging.id, kind: 'STAGING' });
  });
});
