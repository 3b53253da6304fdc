import nodemailer, { type Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { newId } from '../../lib/ids';
import { logger } from '../../lib/logger';
import { EmailMessageEntity } from './email-message.entity';

export interface OutgoingEmail {
  workspaceId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Where replies go (Admin Portal emails: the team's support email). */
  replyTo?: string;
}

export interface Mailer {
  /** `smtp` sends through SMTP_URL; `outbox` keeps messages in the database for the dashboard's dev outbox. */
  readonly mode: 'smtp' | 'outbox';
  send(email: OutgoingEmail): Promise<void>;
}

export function createMailer(db: DataSource, opts: { smtpUrl?: string; from: string }): Mailer {
  if (opts.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(opts.smtpUrl);
    return {
      mode: 'smtp',
      async send(email) {
        await transport.sendMail({ from: opts.from, to: email.to, replyTo: email.replyTo, subject: email.subject, text: email.text, html: email.html });
        logger.info('email sent', { to: email.to, subject: email.subject });
      },
    };
  }
  return {
    mode: 'outbox',
    async send(email) {
      await db.getRepository(EmailMessageEntity).insert({ id: newId('email'), from: opts.from, ...email, replyTo: email.replyTo ?? null });
    },
  };
}
