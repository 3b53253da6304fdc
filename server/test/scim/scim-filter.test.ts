import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, ENTERPRISE } from '../helpers/scim';
import { scimFilterSql } from '../../src/modules/directories/scim-filter';

/** RFC 7644 §3.4.2.2 filters against real rows: every operator, and/or/not, value paths, case rules, and refusals. */

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const user = (userName: string, extra: Record<string, unknown>) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, ...extra });

async function setup() {
  const d = await buildDirectorySetup(app, 'generic scim v2.0');
  const ada = (await d.scim('POST', '/Users', user('ada@acme.com', {
    externalId: 'Ext-Ada', title: 'Engineer', name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ value: 'ada@acme.com', type: 'work', primary: true }, { value: 'Ada@Home.example', type: 'home' }],
    [ENTERPRISE]: { department: 'R&D', manager: { value: 'boss-1' } },
  }))).body;
  const bob = (await d.scim('POST', '/Users', user('bob@acme.com', {
    externalId: 'ext-bob', title: 'Engineering Manager', active: false, name: { givenName: 'Bob', familyName: 'Byte' },
    emails: [{ value: 'bob@acme.com', type: 'work', primary: true }],
  }))).body;
  const cy = (await d.scim('POST', '/Users', user('cy@acme.com', { name: { givenName: 'Cy' } }))).body;
  const ids = async (f: string) => {
    const res = await d.scim('GET', `/Users?filter=${encodeURIComponent(f)}`);
    expect([f, res.status]).toEqual([f, 200]);
    return res.body.Resources.map((u: { userName: string }) => u.userName.split('@')[0]).sort();
  };
  return { d, ada, bob, cy, ids };
}

describe('SCIM filters', () => {
  it('supports every operator, with case rules per attribute', async () => {
    const { ids } = await setup();
    expect(await ids('userName eq "ADA@ACME.COM"')).toEqual(['ada']);
    expect(await ids('externalId eq "ext-ada"')).toEqual([]); // externalId is caseExact
    expect(await ids('externalId eq "Ext-Ada"')).toEqual(['ada']);
    expect(await ids('userName ne "ada@acme.com"')).toEqual(['bob', 'cy']);
    expect(await ids('title co "engineer"')).toEqual(['ada', 'bob']);
    expect(await ids('title sw "ENGINEERING"')).toEqual(['bob']);
    expect(await ids('title ew "manager"')).toEqual(['bob']);
    expect(await ids('title pr')).toEqual(['ada', 'bob']);
    expect(await ids('name.givenName gt "Ada"')).toEqual(['bob', 'cy']);
    expect(await ids('name.givenName ge "Bob"')).toEqual(['bob', 'cy']);
    expect(await ids('name.givenName lt "Bob"')).toEqual(['ada']);
    expect(await ids('name.givenName le "bob"')).toEqual(['ada', 'bob']);
    expect(await ids('active eq false')).toEqual(['bob']);
    expect(await ids('active eq true')).toEqual(['ada', 'cy']);
    expect(await ids('meta.created gt "2000-01-01T00:00:00Z"')).toEqual(['ada', 'bob', 'cy']);
    expect(await ids('meta.lastModified lt "2000-01-01T00:00:00Z"')).toEqual([]);
  });

  it('compares emails against all of a user’s emails, with value paths, and/or/not and parentheses', async () => {
    const { ids } = await setup();
    expect(await ids('emails.value eq "ada@home.example"')).toEqual(['ada']);
    expect(await ids('emails eq "ADA@HOME.EXAMPLE"')).toEqual(['ada']);
    expect(await ids('emails[type eq "home"].value eq "ada@home.example"')).toEqual(['ada']);
    // One element must match both: ada's home address is not her work one.
    expect(await ids('emails[type eq "work"].value eq "ada@home.example"')).toEqual([]);
    expect(await ids('emails[type eq "work" and value co "bob"]')).toEqual(['bob']);
    expect(await ids('emails[primary eq true and value ew "acme.com"]')).toEqual(['ada', 'bob']);
    expect(await ids('emails pr')).toEqual(['ada', 'bob']);
    expect(await ids('not (emails pr)')).toEqual(['cy']);
    expect(await ids('userName eq "ada@acme.com" or userName eq "cy@acme.com"')).toEqual(['ada', 'cy']);
    expect(await ids('title pr and not (title co "manager")')).toEqual(['ada']);
    expect(await ids('(active eq true and title pr) or externalId eq "ext-bob"')).toEqual(['ada', 'bob']);
    expect(await ids('not (title pr)')).toEqual(['cy']);
    expect(await ids(`${ENTERPRISE}:department eq "r&d"`)).toEqual(['ada']);
    expect(await ids('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob@acme.com"')).toEqual(['bob']);
    expect(await ids('manager.value eq "boss-1"')).toEqual(['ada']);
  });

  it('filters groups by displayName, externalId and members', async () => {
    const { d, ada, bob } = await setup();
    const g = (await d.scim('POST', '/Groups', { displayName: 'Engineering', externalId: 'G-1', members: [{ value: ada.id }] })).body;
    await d.scim('POST', '/Groups', { displayName: 'Sales', members: [{ value: bob.id }] });
    const names = async (f: string) => (await d.scim('GET', `/Groups?filter=${encodeURIComponent(f)}`)).body.Resources.map((x: { displayName: string }) => x.displayName).sort();
    expect(await names('displayName eq "engineering"')).toEqual(['Engineering']);
    expect(await names('displayName sw "S"')).toEqual(['Sales']);
    expect(await names('externalId eq "G-1"')).toEqual(['Engineering']);
    expect(await names(`members[value eq "${bob.id}"]`)).toEqual(['Sales']);
    expect(await names(`members.value eq "${ada.id}" or id eq "${g.id}"`)).toEqual(['Engineering']);
    expect(await names('members pr')).toEqual(['Engineering', 'Sales']);
    const users = async (f: string) => (await d.scim('GET', `/Users?filter=${encodeURIComponent(f)}`)).body.Resources.map((x: { userName: string }) => x.userName);
    expect(await users(`groups[value eq "${g.id}"]`)).toEqual(['ada@acme.com']);
    expect(await users(`groups.value eq "${g.id}" or userName eq "cy@acme.com"`)).toEqual(['ada@acme.com', 'cy@acme.com']);
  });

  it.each([
    ['title xx "a"', /Unsupported operator "xx" after title/],
    ['password eq "x"', /attribute "password"/],
    ['emails.secret eq "x"', /emails\.secret/],
    ['active gt true', /"gt" does not apply to the boolean active/],
    ['active eq "maybe"', /boolean/],
    ['meta.created gt "yesterday"', /dateTime/],
    ['name eq "Ada"', /complex/],
    ['userName eq true', /string/],
    ['title[value eq "x"]', /not multi-valued/],
    ['emails[type eq "work" and emails[value eq "x"]]', /nested/],
    ['userName eq "a" and', /not valid/],
    ['((((userName eq "a"', /not valid|expected/],
    [`constructor eq "x"`, /attribute "constructor"/],
  ])('refuses %s with 400 invalidFilter naming what is wrong', async (f, detail) => {
    const { d } = await setup();
    const res = await d.scim('GET', `/Users?filter=${encodeURIComponent(f)}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect(res.body.detail).toMatch(detail);
  });

  it('keeps filter text out of the SQL: quotes and SQL in values are data, attribute names only from the schema', async () => {
    const { d, ids } = await setup();
    expect(await ids(`userName eq "x' OR '1'='1"`)).toEqual([]);
    expect(await ids(`title co "'; DROP TABLE directory_users; --"`)).toEqual([]);
    expect(await ids(`emails[value eq "\\" or 1=1 --"]`)).toEqual([]);
    for (const f of ['userName) OR (1=1', 'u.id eq "x"', `emails[type eq "work"] or raw_attributes pr`, 'userName eq "a" ; SELECT 1']) {
      expect((await d.scim('GET', `/Users?filter=${encodeURIComponent(f)}`)).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    }
    expect((await d.scim('GET', '/Users')).body.totalResults).toBe(3);
  });

  it('refuses groups filtered by a user attribute, and over-long or over-wide filters', async () => {
    const { d } = await setup();
    expect((await d.scim('GET', `/Groups?filter=${encodeURIComponent('userName eq "a"')}`)).body).toMatchObject({ scimType: 'invalidFilter', detail: expect.stringContaining('userName') });
    expect((await d.scim('GET', `/Users?filter=${encodeURIComponent(Array(60).fill('userName eq "a"').join(' or '))}`)).body).toMatchObject({ scimType: 'invalidFilter', detail: expect.stringContaining('conditions') });
    expect((await d.scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${'a'.repeat(3000)}"`)}`)).body).toMatchObject({ scimType: 'invalidFilter', detail: expect.stringContaining('longer') });
  });

  it('keeps the lookups providers send before every create on indexes (userName, externalId, any email)', async () => {
    const { d } = await setup();
    // A directory of 3,000 users (inserted and rolled back), so the planner chooses as it would in production.
    const plan = async (f: string) => {
      const sql = scimFilterSql('User', f)!;
      const query = app.db.getRepository('DirectoryUserEntity').createQueryBuilder('u').where('u.directory_id = :dir AND u.deleted_at IS NULL', { dir: d.directoryId }).andWhere(`(${sql.where})`, sql.params);
      const [text, params] = query.getQueryAndParameters();
      let out = '';
      await app.db.transaction(async (m) => {
        await m.query(`
          INSERT INTO directory_users (id, directory_id, environment_id, organization_id, user_name, external_id, idp_id, email, state, raw_attributes, custom_attributes)
          SELECT 'directory_user_bulk' || n, directory_id, environment_id, organization_id, 'bulk' || n || '@acme.com', 'ext-' || n, 'ext-' || n, 'bulk' || n || '@acme.com', state,
                 jsonb_build_object('userName', 'bulk' || n || '@acme.com', 'emails', jsonb_build_array(jsonb_build_object('value', 'bulk' || n || '@acme.com', 'type', 'work'))), '{}'
            FROM directory_users, generate_series(1, 3000) AS n WHERE user_name = 'ada@acme.com' AND directory_id = $1`, [d.directoryId]);
        await m.query('ANALYZE directory_users');
        out = JSON.stringify(await m.query(`EXPLAIN ${text}`, params));
        throw new Error('rollback');
      }).catch((err) => { if (err.message !== 'rollback') throw err; });
      return out;
    };
    expect(await plan('userName eq "ada@acme.com"')).toContain('directory_users_user_name_idx');
    expect(await plan('externalId eq "Ext-Ada"')).toContain('directory_users_external_id_idx');
    expect(await plan('emails[type eq "work"].value eq "ada@acme.com"')).toContain('directory_users_emails_idx');
    expect(await plan('emails.value eq "ada@acme.com"')).toContain('directory_users_emails_idx');
  });
});
