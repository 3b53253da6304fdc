import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Confirming a sign-up takes the password chosen at sign-up (so a link opened by the address's owner can't finish an
 * account someone else pre-registered with a password they know). Wrong passwords are counted per pending sign-up,
 * so the password can't be guessed through the link: after SIGN_UP_CONFIRM_MAX_WRONG_PASSWORDS the link is void.
 */
export class SignUpConfirmAttempts1764990000000 implements MigrationInterface {
  name = 'SignUpConfirmAttempts1764990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pending_sign_ups ADD COLUMN wrong_passwords integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pending_sign_ups DROP COLUMN wrong_passwords');
  }
}
