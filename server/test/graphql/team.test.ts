import { buildTeam, buildWorkspace } from '../helpers/factories';
import type { Request, Response } from 'express';
import { startTestApp, type TestApp } from '../helpers/app';
import type { GqlClient } from '../helpers/client';
import { buildContext, type Context } from '../../src/context';
import { resolveViewer } from '../../src/modules/accounts/sessions.service';
import { changeMemberRole } from '../../src/modules/members/members.service';

const UPDATE = `mutation($input: UpdateTeamDetailsInput!) { updateTeamDetails(input: $input) { id name supportEmail } }`;
const MEMBERS = `{ viewer { workspace { members(first: 50) { totalCount edges { node { id role isViewer user { email } } } } } } }`;
const CHANGE_ROLE = `mutation($id: ID!, $role: Role!) { changeMemberRole(memberId: $id, role: $role) { id role } }`;
const REMOVE = `mutation($id: ID!) { removeMember(memberId: $id) }`;

let app: TestApp;

async function contextFor(client: GqlClient): Promise<Context> {
  const token = client.cookie!.split('=')[1];
  const viewer = await resolveViewer(app.db, token);
  const res = { append: () => undefined } as unknown as Response;
  return buildContext(app.deps, { ip: '::1', get: () => undefined } as unknown as Request, res, viewer);
}
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('updateTeamDetails', () => {
  it('lets an Admin set the name and the support email, and clear the email', async () => {
    const team = await buildTeam(app.db, app.url);
    const { updateTeamDetails } = await team.as.ADMIN.data(UPDATE, { input: { name: 'Acme Corp', supportEmail: ' Help@Acme.com ' } });
    expect(updateTeamDetails).toEqual({ id: team.workspace.id, name: 'Acme Corp', supportEmail: 'help@acme.com' });
    const cleared = await team.as.ADMIN.data(UPDATE, { input: { supportEmail: null } });
    expect(cleared.updateTeamDetails).toMatchObject({ name: 'Acme Corp', supportEmail: null });
  });

  it('refuses a malformed support email and an empty name, naming each field', async () => {
    const team = await buildTeam(app.db, app.url);
    const error = await team.as.ADMIN.error(UPDATE, { input: { name: '', supportEmail: 'help-at-acme' } });
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details.map((d) => [d.field, d.code]).sort()).toEqual([['name', 'isNotEmpty'], ['supportEmail', 'isEmail']]);
  });

  it.each(['DEVELOPER', 'SUPPORT'] as const)('refuses a %s with FORBIDDEN', async (role) => {
    const team = await buildTeam(app.db, app.url);
    const error = await team.as[role].error(UPDATE, { input: { supportEmail: 'x@acme.com' } });
    expect(error).toMatchObject({ code: 'FORBIDDEN', reason: 'role_required' });
  });

  it('refuses a signed-out caller with UNAUTHENTICATED', async () => {
    const team = await buildTeam(app.db, app.url);
    expect((await team.as.anonymous.error(UPDATE, { input: { name: 'x' } })).code).toBe('UNAUTHENTICATED');
  });
});

describe('members', () => {
  it('lists the workspace’s members to every role, and only that workspace’s', async () => {
    const team = await buildTeam(app.db, app.url);
    await buildWorkspace(app.db);
    for (const role of ['ADMIN', 'DEVELOPER', 'SUPPORT'] as const) {
      const { viewer } = await team.as[role].data(MEMBERS);
      expect(viewer.workspace.members.totalCount).toBe(3);
      const emails = viewer.workspace.members.edges.map((e: any) => e.node.user.email).sort();
      expect(emails).toEqual([team.admin.email, team.developer.user.email, team.support.user.email].sort());
      expect(viewer.workspace.members.edges.filter((e: any) => e.node.isViewer)).toHaveLength(1);
    }
  });

  it('lets an Admin change a role', async () => {
    const team = await buildTeam(app.db, app.url);
    const { changeMemberRole } = await team.as.ADMIN.data(CHANGE_ROLE, { id: team.developer.member.id, role: 'SUPPORT' });
    expect(changeMemberRole).toEqual({ id: team.developer.member.id, role: 'SUPPORT' });
    expect((await team.as.DEVELOPER.data(`{ viewer { role permissions } }`)).viewer).toEqual({
      role: 'SUPPORT',
      permissions: ['team:view', 'organizations:manage'], // no sessions:decrypted-assertions
    });
  });

  it('refuses to demote or remove the last Admin', async () => {
    const team = await buildTeam(app.db, app.url);
    expect(await team.as.ADMIN.error(CHANGE_ROLE, { id: team.adminMember.id, role: 'DEVELOPER' })).toMatchObject({ code: 'FORBIDDEN', reason: 'last_admin' });
    expect(await team.as.ADMIN.error(REMOVE, { id: team.adminMember.id })).toMatchObject({ code: 'FORBIDDEN', reason: 'last_admin' });
    const [{ role }] = await app.db.query('SELECT role FROM members WHERE id = $1', [team.adminMember.id]);
    expect(role).toBe('ADMIN');
  });

  it('keeps one Admin when two Admins demote each other at the same moment', async () => {
    const team = await buildTeam(app.db, app.url);
    await team.as.ADMIN.data(CHANGE_ROLE, { id: team.developer.member.id, role: 'ADMIN' });
    // Both callers are authorized before either change commits, as two simultaneous requests would be.
    const [first, second] = await Promise.all([contextFor(team.as.ADMIN), contextFor(team.as.DEVELOPER)]);
    const results = await Promise.allSettled([
      changeMemberRole(first, team.developer.member.id, 'SUPPORT'),
      changeMemberRole(second, team.adminMember.id, 'SUPPORT'),
    ]);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(refused).toEqual([expect.objectContaining({ reason: 'last_admin' })]);
    const [{ admins }] = await app.db.query(`SELECT count(*)::int AS admins FROM members WHERE workspace_id = $1 AND role = 'ADMIN'`, [team.workspace.id]);
    expect(admins).toBe(1);
  });

  it('lets an Admin remove a member, who then sees no workspace', async () => {
    const team = await buildTeam(app.db, app.url);
    expect((await team.as.ADMIN.data(REMOVE, { id: team.support.member.id })).removeMember).toBe(team.support.member.id);
    expect((await team.as.SUPPORT.data(`{ viewer { workspace { id } role permissions } }`)).viewer).toEqual({ workspace: null, role: null, permissions: [] });
    expect((await team.as.SUPPORT.data(MEMBERS)).viewer.workspace).toBeNull();
    expect((await team.as.SUPPORT.error(`{ outbox { totalCount } }`)).code).toBe('FORBIDDEN');
  });

  it.each(['DEVELOPER', 'SUPPORT'] as const)('refuses role changes and removals by a %s', async (role) => {
    const team = await buildTeam(app.db, app.url);
    expect(await team.as[role].error(CHANGE_ROLE, { id: team.support.member.id, role: 'ADMIN' })).toMatchObject({ code: 'FORBIDDEN', reason: 'role_required' });
    expect(await team.as[role].error(REMOVE, { id: team.support.member.id })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers NOT_FOUND for another workspace’s member, and leaves it alone', async () => {
    const team = await buildTeam(app.db, app.url);
    const other = await buildTeam(app.db, app.url);
    expect((await team.as.ADMIN.error(CHANGE_ROLE, { id: other.support.member.id, role: 'ADMIN' })).code).toBe('NOT_FOUND');
    expect((await team.as.ADMIN.error(REMOVE, { id: other.support.member.id })).code).toBe('NOT_FOUND');
    const [{ role }] = await app.db.query('SELECT role FROM members WHERE id = $1', [other.support.member.id]);
    expect(role).toBe('SUPPORT');
  });

  it('refuses a role that does not exist', async () => {
    const team = await buildTeam(app.db, app.url);
    expect((await team.as.ADMIN.error(CHANGE_ROLE, { id: team.support.member.id, role: 'OWNER' })).code).toBe('BAD_USER_INPUT');
  });
});
