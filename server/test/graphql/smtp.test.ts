import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { buildTeam, buildUser, PASSWORD, uniqueEmail } from '../helpers/factories';
import { GqlClient } from '../helpers/client';
import { setLogLevel } from '../../src/lib/logger';
import { startTestApp, type TestApp } from '../helpers/app';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

describe('email over SMTP (SMTP_URL set)', () => {
  const received: Received[] = [];
  let smtp: SMTPServer;
  let app: TestApp;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString()));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    app = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Portico <team@portico.test>' });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('delivers an invitation through the SMTP server and keeps nothing in the dev outbox', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail('smtp');
    await team.as.ADMIN.data(`mutation($email: String!) { inviteMember(input: { email: $email, role: SUPPORT }) { id } }`, { email });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'team@portico.test', to: [email] });
    expect(received[0]!.raw).toMatch(/invitations\/accept\?token=/);
    const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM outbox_messages WHERE to_address = $1', [email]);
    expect(n).toBe(0);
    expect((await team.as.ADMIN.data(`{ viewer { emailDelivery } }`)).viewer.emailDelivery).toBe('smtp');
  });

  it('sends both sign-up emails (a confirmation link, or "someone tried") and prints no link on the console', async () => {
    const owner = await buildUser(app.db);
    const fresh = uniqueEmail('smtp-signup');
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { printed.push(String(chunk)); return true; });
    setLogLevel('info');
    try {
      for (const email of [owner.email, fresh]) {
        await new GqlClient(app.url).data(`mutation($i: SignUpInput!) { signUp(input: $i) { email } }`, { i: { name: 'N', email, password: PASSWORD, workspaceName: 'W' } });
      }
    } finally {
      setLogLevel('silent');
      write.mockRestore();
    }
    const to = (email: string) => received.filter((r) => r.to.includes(email));
    expect(to(owner.email)).toHaveLength(1);
    expect(to(owner.email)[0]!.raw).toMatch(/Subject: Someone tried to sign up for Portico with your email address/);
    expect(to(owner.email)[0]!.raw).not.toMatch(/confirm-sign-up/);
    expect(to(fresh)).toHaveLength(1);
    expect(to(fresh)[0]!.raw).toMatch(/confirm-sign-up\?token=/);
    expect(printed.filter((line) => line.includes('[no SMTP_URL]'))).toEqual([]);
    const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM outbox_messages WHERE to_address = ANY($1)', [[owner.email, fresh]]);
    expect(n).toBe(0);
  });
});
