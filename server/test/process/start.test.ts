import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GqlClient } from '../helpers/client';
import { MAIN, printedConfirmationLink, startPorticoProcess } from '../helpers/process';

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { email } workspace { name } } }`;

describe('npm start (the built server on an empty data folder)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('comes up healthy on the embedded database, prints the demo sign-in, and keeps data across a restart', async () => {
    const first = await startPorticoProcess({ PORTICO_DATA_DIR: dataDir });
    try {
      expect(await (await fetch(`${first.url}/health`)).json()).toEqual({ status: 'ok', database: 'embedded' });
      expect(first.output()).toContain('Email: no SMTP_URL, so emails wait in the dashboard\'s dev outbox and sign-up links are printed here');
      const printed = /Demo sign-in: (\S+) \/ (\S+)/.exec(first.output());
      expect(printed).not.toBeNull();
      const [, email, password] = printed!;
      expect((await new GqlClient(first.url).data(SIGN_IN, { input: { email, password } })).signIn.workspace.name).toBe('Demo workspace');
      // No SMTP_URL on a first run: the sign-up link is printed on the console, where the person who started Portico sees it.
      await new GqlClient(first.url).data(`mutation { signUp(input: { name: "Kept", email: "kept@example.com", password: "a long enough password", workspaceName: "Kept Co" }) { email } }`);
      const link = new URL(printedConfirmationLink(first.output(), 'kept@example.com'));
      expect(link.origin + link.pathname).toBe(`${first.url}/dashboard/confirm-sign-up`);
      // The printed link finishes the sign-up only with the password chosen at sign-up.
      const CONFIRM = `mutation($t: String!, $p: String!) { confirmSignUp(token: $t, password: $p) { user { id } } }`;
      const wrong = await new GqlClient(first.url).error(CONFIRM, { t: link.searchParams.get('token'), p: 'somebody else\'s password' });
      expect(wrong).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'password' })] });
      const confirmed = await new GqlClient(first.url).data(CONFIRM, { t: link.searchParams.get('token'), p: 'a long enough password' });
      expect(confirmed.confirmSignUp.user.id).toMatch(/^user_/);
      const dashboard = await fetch(`${first.url}/dashboard/workspace/team`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('<div id="root">');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(fs.existsSync(path.join(dataDir, 'portico.lock'))).toBe(false);

    const second = await startPorticoProcess({ PORTICO_DATA_DIR: dataDir });
    try {
      const { signIn } = await new GqlClient(second.url).data(SIGN_IN, { input: { email: 'kept@example.com', password: 'a long enough password' } });
      expect(signIn).toEqual({ user: { email: 'kept@example.com' }, workspace: { name: 'Kept Co' } });
      expect(second.output()).toMatch(/Demo sign-in: demo@portico\.localhost \/ \S+/);
    } finally {
      await second.stop();
    }
  });

  it('refuses to open a data folder another running Portico holds', async () => {
    const holder = await startPorticoProcess({ PORTICO_DATA_DIR: dataDir });
    try {
      const intruder = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PORTICO_DATA_DIR: dataDir, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      intruder.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise((resolve) => intruder.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(`is in use by process ${holder.child.pid}`);
      expect((await fetch(`${holder.url}/health`)).ok).toBe(true);
    } finally {
      await holder.stop();
    }
  });
});

const postgres = process.env.PORTICO_TEST_DATABASE_KIND === 'postgres' ? describe : describe.skip;
postgres('the production path (what the Docker image runs): DATABASE_URL', () => {
  it('migrates and serves on PostgreSQL, seeding nothing by default', async () => {
    const portico = await startPorticoProcess({ DATABASE_URL: process.env.DATABASE_URL! });
    try {
      expect(await (await fetch(`${portico.url}/health`)).json()).toEqual({ status: 'ok', database: 'postgres' });
      expect(portico.output()).not.toContain('Demo sign-in');
    } finally {
      expect(await portico.stop()).toBe(0);
    }
  });
});
