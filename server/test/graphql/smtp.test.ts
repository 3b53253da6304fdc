import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { buildTeam, uniqueEmail } from '../helpers/factories';
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
});
