import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, oktaUser } from '../helpers/scim';

/**
 * Hostile input at every route family: each row sends one probe and expects a 4xx in that family's error shape, with
 * no stack frame, SQL or library internals in the body. Add a row for a new route or probe; the checks follow.
 */

type Shape = 'rest' | 'oauth' | 'scim' | 'graphql' | 'page';
type Auth = 'apiKey' | 'scim' | 'session' | 'none';

interface Probe {
  method?: string;
  path: string;
  auth?: Auth;
  /** Raw JSON text (so it can carry what JSON.stringify would not write: 1e400, bad syntax, deep nesting). */
  json?: string;
  /** Raw application/x-www-form-urlencoded text. */
  form?: string;
  headers?: Record<string, string>;
}

interface Row {
  route: string;
  probe: string;
  send: (s: Setup) => Probe;
  expected: { status: number; shape: Shape; says?: string | RegExp };
}

type Setup = Awaited<ReturnType<typeof buildDirectorySetup>> & { userId: string };

const MB = 1024 * 1024;
const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const big = (bytes: number) => 'x'.repeat(bytes);
const gql = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
const ORG_QUERY = 'query($id: ID!) { organization(id: $id) { id } }';
const CREATE_ORG = 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }';
const OUTBOX = 'query($first: Int) { outbox(first: $first) { totalCount } }';

const rows: Row[] = [
  // GraphQL: the document, its string literals, variables (IDs, names, numbers), the body itself
  { route: 'POST /graphql', probe: 'malformed JSON', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: '{"query": "{ viewer' }), expected: { status: 400, shape: 'graphql', says: 'not valid JSON' } },
  { route: 'POST /graphql', probe: 'NUL in an ID variable', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql(ORG_QUERY, { id: 'org_\u0000' }) }), expected: { status: 400, shape: 'graphql', says: 'body field "variables.id" contains a NUL character' } },
  { route: 'POST /graphql', probe: 'lone surrogate in a name variable', send: (s) => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql(CREATE_ORG, { input: { environmentId: s.environment.id, name: 'Acme \ud800' } }) }), expected: { status: 400, shape: 'graphql', says: 'body field "variables.input.name" contains a lone UTF-16 surrogate' } },
  { route: 'POST /graphql', probe: 'lone surrogate in a variable key', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql(ORG_QUERY, { id: 'org_1', ['\udc00']: 1 }) }), expected: { status: 400, shape: 'graphql', says: 'a key in body field "variables"' } },
  { route: 'POST /graphql', probe: 'NUL escape in a string literal', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql('{ organization(id: "org_\\u0000") { id } }') }), expected: { status: 400, shape: 'graphql', says: 'A string literal contains a NUL character' } },
  { route: 'POST /graphql', probe: 'NUL in a name literal', send: (s) => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql(`mutation { createOrganization(input: { environmentId: "${s.environment.id}", name: "a\\u0000b" }) { id } }`) }), expected: { status: 400, shape: 'graphql', says: 'A string literal contains a NUL character' } },
  { route: 'POST /graphql', probe: 'variable 1e20', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: `{"query": ${JSON.stringify(OUTBOX)}, "variables": {"first": 1e20}}` }), expected: { status: 400, shape: 'graphql', says: 'body field "variables.first" is a number beyond ±2^53' } },
  { route: 'POST /graphql', probe: 'variable 1e400', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: `{"query": ${JSON.stringify(OUTBOX)}, "variables": {"first": 1e400}}` }), expected: { status: 400, shape: 'graphql', says: '"variables.first"' } },
  { route: 'POST /graphql', probe: 'literal NaN', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql('{ outbox(first: NaN) { totalCount } }') }), expected: { status: 400, shape: 'graphql', says: 'Int cannot represent' } },
  { route: 'POST /graphql', probe: 'literal 1e400', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql('{ outbox(first: 1e400) { totalCount } }') }), expected: { status: 400, shape: 'graphql', says: 'Int cannot represent' } },
  { route: 'POST /graphql', probe: 'variables 5,000 levels deep', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: `{"query": ${JSON.stringify(ORG_QUERY)}, "variables": ${deepJson(5000)}}` }), expected: { status: 400, shape: 'graphql', says: 'nests deeper than' } },
  { route: 'POST /graphql', probe: 'document 5,000 levels deep', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql(`{${' viewer {'.repeat(5000)} id${' }'.repeat(5000)} }`) }), expected: { status: 400, shape: 'graphql', says: 'The GraphQL document nests deeper than' } },
  { route: 'POST /graphql', probe: 'fragment cycle', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql('{ viewer { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A }') }), expected: { status: 400, shape: 'graphql', says: 'Cannot spread fragment "A" within itself via "B".' } },
  { route: 'POST /graphql', probe: 'self-spreading fragment', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql('{ viewer { ...A } } fragment A on Viewer { role ...A }') }), expected: { status: 400, shape: 'graphql', says: 'Cannot spread fragment "A" within itself.' } },
  { route: 'POST /graphql', probe: 'body over 1 MB', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql(ORG_QUERY, { id: big(1.1 * MB) }) }), expected: { status: 413, shape: 'graphql', says: 'larger than 1 MB' } },
  { route: 'GET /graphql', probe: 'NUL in GET variables', send: () => ({ path: `/graphql?query=${encodeURIComponent(ORG_QUERY)}&variables=${encodeURIComponent('{"id":"\\u0000"}')}`, auth: 'session', headers: { 'apollo-require-preflight': 'true' } }), expected: { status: 400, shape: 'graphql', says: 'query parameter "variables.id" contains a NUL' } },
  { route: 'GET /graphql', probe: 'lone surrogate in the query string', send: () => ({ path: '/graphql?query=%ED%A0%80', auth: 'session', headers: { 'apollo-require-preflight': 'true' } }), expected: { status: 400, shape: 'graphql', says: 'query parameter "query" is not valid percent-encoded UTF-8' } },

  { route: 'POST /graphql', probe: 'a Latin-1 charset', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql('{ viewer { id } }'), headers: { 'content-type': 'application/json; charset=latin1' } }), expected: { status: 415, shape: 'graphql', says: 'send UTF-8' } },
  { route: 'POST /graphql', probe: 'a text/plain body', send: () => ({ method: 'POST', path: '/graphql', auth: 'session', json: gql('{ viewer { id } }'), headers: { 'content-type': 'text/plain' } }), expected: { status: 400, shape: 'graphql' } },

  // WorkOS REST: paths, query parameters, bodies
  { route: 'GET /organizations', probe: 'NUL in limit', send: () => ({ path: '/organizations?limit=%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'query parameter "limit" contains a NUL character' } },
  ...['1e20', '1e400', '-1', 'NaN', '9007199254740993'].map((limit): Row => (
    { route: 'GET /organizations', probe: `limit=${limit}`, send: () => ({ path: `/organizations?limit=${limit}`, auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'limit' } })),
  { route: 'GET /organizations', probe: 'lone surrogate in domains', send: () => ({ path: '/organizations?domains=%ED%A0%80', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'query parameter "domains" is not valid percent-encoded UTF-8' } },
  { route: 'GET /organizations', probe: 'NUL in a parameter name', send: () => ({ path: '/organizations?li%00mit=1', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'the query parameter name "li\\u0000mit" contains a NUL character' } },
  { route: 'GET /organizations/:id', probe: 'NUL in the ID', send: () => ({ path: '/organizations/org_%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'the URL path contains a NUL character' } },
  { route: 'GET /organizations/:id', probe: 'lone surrogate in the ID', send: () => ({ path: '/organizations/%ED%A0%80', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'the URL path is not valid percent-encoded UTF-8' } },
  { route: 'GET /organizations/external_id/:id', probe: 'NUL in the external ID', send: () => ({ path: '/organizations/external_id/%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'NUL' } },
  { route: 'POST /organizations', probe: 'malformed JSON', send: () => ({ method: 'POST', path: '/organizations', auth: 'apiKey', json: '{"name":' }), expected: { status: 400, shape: 'rest', says: 'not valid JSON' } },
  { route: 'POST /organizations', probe: 'NUL in name', send: () => ({ method: 'POST', path: '/organizations', auth: 'apiKey', json: JSON.stringify({ name: 'a\u0000' }) }), expected: { status: 400, shape: 'rest', says: 'body field "name" contains a NUL character' } },
  { route: 'POST /organizations', probe: 'lone surrogate in a domain', send: () => ({ method: 'POST', path: '/organizations', auth: 'apiKey', json: JSON.stringify({ name: 'a', domains: ['\ud800.com'] }) }), expected: { status: 400, shape: 'rest', says: 'body field "domains[0]" contains a lone UTF-16 surrogate' } },
  { route: 'POST /organizations', probe: 'NUL in a metadata key', send: () => ({ method: 'POST', path: '/organizations', auth: 'apiKey', json: JSON.stringify({ name: 'a', metadata: { 'k\u0000': 'v' } }) }), expected: { status: 400, shape: 'rest', says: 'a key in body field "metadata" contains a NUL character' } },
  { route: 'POST /organizations', probe: 'number 1e400', send: () => ({ method: 'POST', path: '/organizations', auth: 'apiKey', json: '{"name": 1e400}' }), expected: { status: 400, shape: 'rest', says: 'body field "name" is a number beyond' } },
  { route: 'POST /organizations', probe: 'body over 1 MB', send: () => ({ method: 'POST', path: '/organizations', auth: 'apiKey', json: JSON.stringify({ name: big(1.1 * MB) }) }), expected: { status: 413, shape: 'rest', says: 'larger than 1 MB' } },
  { route: 'POST /organizations', probe: 'JSON 5,000 levels deep', send: () => ({ method: 'POST', path: '/organizations', auth: 'apiKey', json: deepJson(5000) }), expected: { status: 400, shape: 'rest', says: 'nests deeper than' } },
  { route: 'PUT /organizations/:id', probe: 'NUL in name', send: (s) => ({ method: 'PUT', path: `/organizations/${s.org.id}`, auth: 'apiKey', json: JSON.stringify({ name: '\u0000' }) }), expected: { status: 400, shape: 'rest', says: 'NUL' } },
  { route: 'GET /connections', probe: 'NUL in organization_id', send: () => ({ path: '/connections?organization_id=%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'query parameter "organization_id" contains a NUL' } },
  { route: 'GET /connections', probe: 'limit=1e20', send: () => ({ path: '/connections?limit=1e20', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'limit' } },
  { route: 'GET /connections/:id', probe: 'lone surrogate in the ID', send: () => ({ path: '/connections/conn_%ED%A0%80', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'URL path' } },
  { route: 'GET /directories', probe: 'NUL in search', send: () => ({ path: '/directories?search=%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'query parameter "search"' } },
  { route: 'GET /directories', probe: 'limit=NaN', send: () => ({ path: '/directories?limit=NaN', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'limit' } },
  { route: 'GET /directory_users', probe: 'lone surrogate in directory', send: () => ({ path: '/directory_users?directory=%ED%A0%80', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'query parameter "directory"' } },
  { route: 'GET /directory_users', probe: 'limit=-1', send: () => ({ path: '/directory_users?limit=-1', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'limit must be at least 1' } },
  { route: 'GET /directory_users/:id', probe: 'NUL in the ID', send: () => ({ path: '/directory_users/directory_user_%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'URL path' } },
  { route: 'GET /directory_groups', probe: 'NUL in user', send: () => ({ path: '/directory_groups?user=%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'query parameter "user"' } },
  { route: 'GET /events', probe: 'limit=1e20', send: () => ({ path: '/events?limit=1e20', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'limit' } },
  { route: 'GET /events', probe: 'NUL in range_start', send: () => ({ path: '/events?range_start=%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'query parameter "range_start"' } },
  { route: 'GET /events', probe: 'lone surrogate in events', send: () => ({ path: '/events?events=%ED%A0%80', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'query parameter "events"' } },
  { route: 'GET /organization_domains/:id', probe: 'NUL in the ID', send: () => ({ path: '/organization_domains/%00', auth: 'apiKey' }), expected: { status: 400, shape: 'rest', says: 'URL path' } },
  { route: 'POST /organization_domains', probe: 'NUL in domain', send: (s) => ({ method: 'POST', path: '/organization_domains', auth: 'apiKey', json: JSON.stringify({ domain: 'a\u0000.com', organization_id: s.org.id }) }), expected: { status: 400, shape: 'rest', says: 'body field "domain"' } },
  { route: 'POST /sso/token', probe: 'NUL in a form field', send: (s) => ({ method: 'POST', path: '/sso/token', form: `client_id=${s.environment.clientId}&grant_type=authorization_code&code=%00` }), expected: { status: 400, shape: 'oauth', says: 'form field "code" contains a NUL character' } },
  { route: 'POST /sso/token', probe: 'lone surrogate in a form field', send: (s) => ({ method: 'POST', path: '/sso/token', form: `client_id=${s.environment.clientId}&code=%ED%A0%80` }), expected: { status: 400, shape: 'oauth', says: 'form field "code" is not valid percent-encoded UTF-8' } },
  { route: 'POST /sso/token', probe: 'malformed JSON', send: () => ({ method: 'POST', path: '/sso/token', json: '{"code"' }), expected: { status: 400, shape: 'oauth', says: 'not valid JSON' } },
  { route: 'POST /sso/token', probe: 'lone surrogate in JSON', send: () => ({ method: 'POST', path: '/sso/token', json: JSON.stringify({ code: '\ud800' }) }), expected: { status: 400, shape: 'oauth', says: 'body field "code"' } },
  { route: 'POST /sso/token', probe: 'body over 64 KB', send: () => ({ method: 'POST', path: '/sso/token', json: JSON.stringify({ code: big(100 * 1024) }) }), expected: { status: 413, shape: 'oauth', says: 'larger than 64 KB' } },
  { route: 'POST /sso/token', probe: 'JSON 5,000 levels deep', send: () => ({ method: 'POST', path: '/sso/token', json: deepJson(5000) }), expected: { status: 400, shape: 'oauth', says: 'nests deeper than' } },
  { route: 'GET /sso/profile', probe: 'NUL in the query', send: () => ({ path: '/sso/profile?x=%00' }), expected: { status: 400, shape: 'rest', says: 'query parameter "x"' } },

  { route: 'POST /organizations', probe: 'a gzip body that is not gzip', send: () => ({ method: 'POST', path: '/organizations', auth: 'apiKey', json: '{"name":"a"}', headers: { 'content-encoding': 'gzip' } }), expected: { status: 400, shape: 'rest' } },

  // Browser-facing SSO pages
  { route: 'GET /sso/authorize', probe: 'NUL in client_id', send: () => ({ path: '/sso/authorize?client_id=%00&redirect_uri=http://localhost:4100/callback&response_type=code' }), expected: { status: 400, shape: 'page', says: 'query parameter "client_id" contains a NUL character' } },
  { route: 'GET /sso/authorize', probe: 'lone surrogate in redirect_uri', send: (s) => ({ path: `/sso/authorize?client_id=${s.environment.clientId}&redirect_uri=%ED%A0%80&response_type=code` }), expected: { status: 400, shape: 'page', says: 'query parameter "redirect_uri"' } },
  { route: 'GET /sso/authorize', probe: 'NUL in connection', send: (s) => ({ path: `/sso/authorize?client_id=${s.environment.clientId}&redirect_uri=http://localhost:4100/callback&response_type=code&connection=conn_%00` }), expected: { status: 400, shape: 'page', says: 'query parameter "connection"' } },
  { route: 'GET /sso/authorize', probe: 'NUL in state', send: (s) => ({ path: `/sso/authorize?client_id=${s.environment.clientId}&redirect_uri=http://localhost:4100/callback&response_type=code&organization=${s.org.id}&state=%00` }), expected: { status: 400, shape: 'page', says: 'query parameter "state"' } },
  { route: 'POST /sso/saml/acs/:id', probe: 'NUL in SAMLResponse', send: (s) => ({ method: 'POST', path: `/sso/saml/acs/${s.connection.id}`, form: 'SAMLResponse=PD94%00' }), expected: { status: 400, shape: 'page', says: 'form field "SAMLResponse" contains a NUL character' } },
  { route: 'POST /sso/saml/acs/:id', probe: 'lone surrogate in RelayState', send: (s) => ({ method: 'POST', path: `/sso/saml/acs/${s.connection.id}`, form: 'SAMLResponse=PD94&RelayState=%ED%A0%80' }), expected: { status: 400, shape: 'page', says: 'form field "RelayState"' } },
  { route: 'POST /sso/saml/acs/:id', probe: 'form over 1 MB', send: (s) => ({ method: 'POST', path: `/sso/saml/acs/${s.connection.id}`, form: `SAMLResponse=${big(1.1 * MB)}` }), expected: { status: 413, shape: 'page', says: 'larger than 1 MB' } },
  { route: 'POST /sso/saml/acs/:id', probe: 'over 1,000 form fields', send: (s) => ({ method: 'POST', path: `/sso/saml/acs/${s.connection.id}`, form: Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&') }), expected: { status: 413, shape: 'page', says: 'too many fields' } },
  { route: 'POST /sso/saml/acs/:id', probe: 'a Shift_JIS form', send: (s) => ({ method: 'POST', path: `/sso/saml/acs/${s.connection.id}`, form: 'SAMLResponse=PD94', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=shift_jis' } }), expected: { status: 415, shape: 'page', says: 'send UTF-8' } },
  { route: 'POST /sso/saml/acs/:id', probe: 'invalid percent-encoding in a field name', send: (s) => ({ method: 'POST', path: `/sso/saml/acs/${s.connection.id}`, form: 'SAML%ZZResponse=PD94' }), expected: { status: 400, shape: 'page', says: 'form field name is not valid percent-encoded UTF-8' } },
  { route: 'POST /sso/saml/acs/:id', probe: 'NUL in the connection ID', send: () => ({ method: 'POST', path: '/sso/saml/acs/conn_%00', form: 'SAMLResponse=PD94' }), expected: { status: 400, shape: 'page', says: 'URL path' } },
  { route: 'GET /sso/saml/metadata/:id', probe: 'lone surrogate in the ID', send: () => ({ path: '/sso/saml/metadata/%ED%A0%80' }), expected: { status: 400, shape: 'page', says: 'URL path' } },

  // SCIM: filters, numbers, attribute values and keys, bodies
  { route: 'GET /scim/v2/:dir/Users', probe: 'NUL in a filter', send: (s) => ({ path: `/scim/v2/${s.directoryId}/Users?filter=userName%20eq%20%22a%00%22`, auth: 'scim' }), expected: { status: 400, shape: 'scim', says: 'query parameter "filter" contains a NUL' } },
  { route: 'GET /scim/v2/:dir/Groups', probe: 'lone surrogate in a filter', send: (s) => ({ path: `/scim/v2/${s.directoryId}/Groups?filter=displayName%20eq%20%22%ED%A0%80%22`, auth: 'scim' }), expected: { status: 400, shape: 'scim', says: 'query parameter "filter"' } },
  { route: 'GET /scim/v2/:dir/Users', probe: 'NUL in startIndex', send: (s) => ({ path: `/scim/v2/${s.directoryId}/Users?startIndex=1%00`, auth: 'scim' }), expected: { status: 400, shape: 'scim', says: 'query parameter "startIndex"' } },
  { route: 'GET /scim/v2/:dir/Users/:id', probe: 'NUL in the ID', send: (s) => ({ path: `/scim/v2/${s.directoryId}/Users/%00`, auth: 'scim' }), expected: { status: 400, shape: 'scim', says: 'URL path' } },
  { route: 'POST /scim/v2/:dir/Users', probe: 'NUL in userName', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Users`, auth: 'scim', json: JSON.stringify(oktaUser('a\u0000@acme.com')) }), expected: { status: 400, shape: 'scim', says: 'body field "userName" contains a NUL' } },
  { route: 'POST /scim/v2/:dir/Users', probe: 'lone surrogate in an email value', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Users`, auth: 'scim', json: JSON.stringify(oktaUser('b@acme.com', { emails: [{ value: '\udfff@acme.com' }] })) }), expected: { status: 400, shape: 'scim', says: 'body field "emails[0].value"' } },
  { route: 'POST /scim/v2/:dir/Users', probe: 'NUL in an attribute key', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Users`, auth: 'scim', json: JSON.stringify(oktaUser('c@acme.com', { 'nick\u0000Name': 'x' })) }), expected: { status: 400, shape: 'scim', says: 'a key of the JSON body contains a NUL' } },
  { route: 'POST /scim/v2/:dir/Users', probe: 'number 1e20', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Users`, auth: 'scim', json: JSON.stringify(oktaUser('d@acme.com', { employeeNumber: 1e20 })) }), expected: { status: 400, shape: 'scim', says: 'body field "employeeNumber" is a number beyond' } },
  { route: 'POST /scim/v2/:dir/Users', probe: 'malformed JSON', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Users`, auth: 'scim', json: '{"userName":' }), expected: { status: 400, shape: 'scim', says: 'not valid JSON' } },
  { route: 'POST /scim/v2/:dir/Users', probe: 'body over 2 MB', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Users`, auth: 'scim', json: JSON.stringify(oktaUser('e@acme.com', { title: big(2.1 * MB) })) }), expected: { status: 413, shape: 'scim', says: 'larger than 2 MB' } },
  { route: 'POST /scim/v2/:dir/Users', probe: 'JSON 5,000 levels deep', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Users`, auth: 'scim', json: deepJson(5000) }), expected: { status: 400, shape: 'scim', says: 'nests deeper than' } },
  { route: 'PATCH /scim/v2/:dir/Users/:id', probe: 'NUL in an operation value', send: (s) => ({ method: 'PATCH', path: `/scim/v2/${s.directoryId}/Users/${s.userId}`, auth: 'scim', json: JSON.stringify({ Operations: [{ op: 'replace', path: 'displayName', value: 'a\u0000' }] }) }), expected: { status: 400, shape: 'scim', says: 'body field "Operations[0].value"' } },
  { route: 'POST /scim/v2/:dir/Groups', probe: 'NUL in displayName', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Groups`, auth: 'scim', json: JSON.stringify({ displayName: '\u0000', members: [] }) }), expected: { status: 400, shape: 'scim', says: 'body field "displayName"' } },
  { route: 'POST /scim/v2/:dir/Groups', probe: 'lone surrogate in a member value', send: (s) => ({ method: 'POST', path: `/scim/v2/${s.directoryId}/Groups`, auth: 'scim', json: JSON.stringify({ displayName: 'G', members: [{ value: '\ud800' }] }) }), expected: { status: 400, shape: 'scim', says: 'body field "members[0].value"' } },

  // The dashboard and the other browser/JSON paths
  { route: 'GET /dashboard/*', probe: 'NUL in the path', send: () => ({ path: '/dashboard/%00' }), expected: { status: 400, shape: 'page', says: 'the URL path contains a NUL character' } },
  { route: 'GET /dashboard/*', probe: 'lone surrogate in the path', send: () => ({ path: '/dashboard/organizations/%ED%A0%80' }), expected: { status: 400, shape: 'page', says: 'the URL path is not valid percent-encoded UTF-8' } },
  { route: 'GET /compliance/documents/:id', probe: 'NUL in the ID', send: () => ({ path: '/compliance/documents/%00', auth: 'session' }), expected: { status: 400, shape: 'rest', says: 'URL path' } },
];

// What must never reach a client: stack frames, driver or ORM internals, SQL.
const LEAKS = [/\bat [\w$.<>[\]]+ \(/, /\(\/[^)]*:\d+:\d+\)/, /\bat \/\S+:\d+/, /QueryFailedError/, /node_modules/, /RangeError|Maximum call stack/, /invalid byte sequence|syntax error at or near/i, /\b(SELECT|INSERT INTO|DELETE FROM)\b|\bUPDATE "?\w+"? SET\b/];

let app: TestApp;
let setup: Setup;

beforeAll(async () => {
  app = await startTestApp();
  const directory = await buildDirectorySetup(app);
  const user = await directory.scim('POST', '/Users', oktaUser('ada@acme.com'));
  setup = { ...directory, userId: user.body.id };
});
afterAll(() => app.close());

async function send(probe: Probe) {
  const headers: Record<string, string> = { ...probe.headers };
  if (probe.auth === 'apiKey') headers.authorization = `Bearer ${setup.apiKey}`;
  if (probe.auth === 'scim') headers.authorization = `Bearer ${setup.token}`;
  if (probe.auth === 'session') headers.cookie = setup.admin.cookie!;
  if (probe.json !== undefined) headers['content-type'] = probe.auth === 'scim' ? 'application/scim+json' : 'application/json';
  if (probe.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  Object.assign(headers, probe.headers);
  const res = await fetch(`${app.url}${probe.path}`, { method: probe.method ?? 'GET', headers, body: probe.json ?? probe.form, redirect: 'manual' });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

const unescapeHtml = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The family's error shape, and the sentence it carries for people. */
function messageIn(shape: Shape, status: number, contentType: string, text: string): string {
  if (shape === 'page') {
    expect(contentType).toContain('text/html');
    expect(text).toMatch(/^<!doctype html>/);
    return unescapeHtml(text);
  }
  expect(contentType).toContain(shape === 'scim' ? 'application/scim+json' : 'application/json');
  const body = JSON.parse(text);
  switch (shape) {
    case 'rest':
      expect(body).toEqual(expect.objectContaining({ message: expect.any(String), code: expect.any(String) }));
      return body.message;
    case 'oauth':
      expect(body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
      return body.error_description;
    case 'scim':
      expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail: expect.any(String) });
      return body.detail;
    case 'graphql':
      expect(body.errors?.[0]).toMatchObject({ message: expect.any(String), extensions: { code: expect.any(String) } });
      return body.errors[0].message;
  }
}

describe('hostile input at the edge', () => {
  it.each(rows.map((row) => [row.route, row.probe, row] as const))('%s with %s answers a 4xx in its shape, without internals', async (_route, _probe, row) => {
    const res = await send(row.send(setup));
    expect({ status: res.status, text: res.text.slice(0, 300) }).toMatchObject({ status: row.expected.status });
    const message = messageIn(row.expected.shape, res.status, res.contentType, res.text);
    if (row.expected.says) expect(message).toContain(row.expected.says);
    for (const leak of LEAKS) expect(res.text).not.toMatch(leak);
  });

  it('writes nothing for refused requests: no session, SCIM user or organization', async () => {
    const [sessions] = await app.db.query('SELECT count(*)::int AS n FROM sso_sessions WHERE connection_id = $1', [setup.connection.id]);
    const [users] = await app.db.query('SELECT count(*)::int AS n FROM directory_users WHERE directory_id = $1', [setup.directoryId]);
    const [groups] = await app.db.query('SELECT count(*)::int AS n FROM directory_groups WHERE directory_id = $1', [setup.directoryId]);
    const [orgs] = await app.db.query('SELECT count(*)::int AS n FROM organizations WHERE environment_id = $1', [setup.environment.id]);
    expect({ sessions: sessions.n, users: users.n, groups: groups.n, orgs: orgs.n }).toEqual({ sessions: 0, users: 1, groups: 0, orgs: 1 });
  });
});
