import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SAML SSO: organizations and their domains, redirect URIs, connections, a session row per sign-in attempt, one-time
 * authorization codes and profile access tokens (hashed), the assertion-ID replay cache and REST idempotency keys.
 */
export class Sso1764300000000 implements MigrationInterface {
  name = 'Sso1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        name text NOT NULL,
        allow_profiles_outside_organization boolean NOT NULL DEFAULT false,
        external_id text,
        metadata jsonb NOT NULL DEFAULT '{}',
        stripe_customer_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX organizations_environment_idx ON organizations (environment_id, id)');
    await q.query('CREATE UNIQUE INDEX organizations_external_id_idx ON organizations (environment_id, external_id) WHERE external_id IS NOT NULL');

    await q.query(`
      CREATE TABLE organization_domains (
        id text PRIMARY KEY,
        organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        domain text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'verified', 'failed')),
        verification_strategy text NOT NULL CHECK (verification_strategy IN ('dns', 'manual')),
        verification_token text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX organization_domains_domain_idx ON organization_domains (environment_id, domain)');
    await q.query('CREATE INDEX organization_domains_organization_idx ON organization_domains (organization_id, id)');

    await q.query(`
      CREATE TABLE redirect_uris (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        uri text NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX redirect_uris_uri_idx ON redirect_uris (environment_id, uri)');
    await q.query('CREATE UNIQUE INDEX redirect_uris_default_idx ON redirect_uris (environment_id) WHERE is_default');

    await q.query(`
      CREATE TABLE connections (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        connection_type text NOT NULL,
        state text NOT NULL CHECK (state IN ('draft', 'validating', 'active', 'inactive')),
        idp_entity_id text,
        idp_sso_url text,
        idp_certificates jsonb NOT NULL DEFAULT '[]',
        idp_metadata_url text,
        mapping_preset text NOT NULL,
        attribute_mapping jsonb NOT NULL,
        sp_certificate text,
        sp_private_key_encrypted text,
        idp_initiated_enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX connections_environment_idx ON connections (environment_id, id)');
    await q.query('CREATE INDEX connections_organization_idx ON connections (organization_id, id)');

    await q.query(`
      CREATE TABLE sso_sessions (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        connection_id text NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        origin text NOT NULL CHECK (origin IN ('SP', 'IDP')),
        state text NOT NULL CHECK (state IN ('STARTED', 'AUTHORIZED', 'SUCCESSFUL', 'FAILED')),
        request_id text,
        redirect_uri text,
        client_state text,
        code_challenge text,
        saml_request text,
        saml_response text,
        email text,
        first_name text,
        last_name text,
        idp_id text,
        profile jsonb,
        error text,
        error_reason text,
        error_message text,
        error_details jsonb,
        ip text,
        user_agent text,
        started_at timestamptz NOT NULL DEFAULT now(),
        authorized_at timestamptz,
        succeeded_at timestamptz,
        failed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX sso_sessions_connection_idx ON sso_sessions (connection_id, id DESC)');
    await q.query('CREATE INDEX sso_sessions_environment_idx ON sso_sessions (environment_id, id DESC)');
    await q.query('CREATE UNIQUE INDEX sso_sessions_request_idx ON sso_sessions (request_id) WHERE request_id IS NOT NULL');

    await q.query(`
      CREATE TABLE authorization_codes (
        code_hash text PRIMARY KEY,
        session_id text NOT NULL REFERENCES sso_sessions(id) ON DELETE CASCADE,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        client_id text NOT NULL,
        code_challenge text,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE profile_access_tokens (
        token_hash text PRIMARY KEY,
        session_id text NOT NULL REFERENCES sso_sessions(id) ON DELETE CASCADE,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE saml_assertion_ids (
        connection_id text NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        assertion_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (connection_id, assertion_id)
      )`);
    await q.query('CREATE INDEX saml_assertion_ids_expiry_idx ON saml_assertion_ids (expires_at)');
    await q.query(`
      CREATE TABLE idempotency_keys (
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        key text NOT NULL,
        request_fingerprint text NOT NULL,
        status integer NOT NULL,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (environment_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'saml_assertion_ids', 'profile_access_tokens', 'authorization_codes', 'sso_sessions', 'connections', 'redirect_uris', 'organization_domains', 'organizations']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
