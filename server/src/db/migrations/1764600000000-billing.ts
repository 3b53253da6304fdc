import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A workspace's billing: address, and the card as brand, last four, expiry and the payment provider's token (never the number). */
export class Billing1764600000000 implements MigrationInterface {
  name = 'Billing1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workspace_billing (
        workspace_id text PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        company_name text NOT NULL,
        address_line1 text NOT NULL,
        address_line2 text,
        city text NOT NULL,
        postal_code text NOT NULL,
        region text,
        country text NOT NULL,
        card_brand text NOT NULL,
        card_last4 text NOT NULL,
        card_exp_month integer NOT NULL,
        card_exp_year integer NOT NULL,
        payment_token text NOT NULL,
        updated_by_id text REFERENCES dashboard_users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE workspace_billing');
  }
}
