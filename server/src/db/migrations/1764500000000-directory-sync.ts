import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Directory Sync: directories (one SCIM endpoint and bearer token each), their users and groups as received over
 * SCIM (raw attributes kept, standard fields derived), group memberships, the environment's custom attributes and
 * each directory's mapping of them, a log of SCIM requests, and the events the WorkOS Events API lists.
 */
export class DirectorySync1764500000000 implements MigrationInterface {
  name = 'DirectorySync1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directories (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        type text NOT NULL,
        state text NOT NULL CHECK (state IN ('linked', 'unlinked', 'invalid_credentials')),
        token_hash text NOT NULL UNIQUE,
        previous_token_hash text,
        token_last_four text NOT NULL,
        token_rotated_at timestamptz NOT NULL DEFAULT now(),
        custom_attribute_mappings jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX directories_environment_idx ON directories (environment_id, id)');
    await q.query('CREATE INDEX directories_organization_idx ON directories (organization_id, id)');

    await q.query(`
      CREATE TABLE directory_users (
        id text PRIMARY KEY,
        directory_id text NOT NULL REFERENCES directories(id) ON DELETE CASCADE,
        environment_id text NOT NULL,
        organization_id text NOT NULL,
        user_name text NOT NULL,
        external_id text,
        idp_id text NOT NULL,
        email text,
        first_name text,
        last_name text,
        state text NOT NULL CHECK (state IN ('active', 'inactive')),
        raw_attributes jsonb NOT NULL,
        custom_attributes jsonb NOT NULL DEFAULT '{}',
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX directory_users_user_name_idx ON directory_users (directory_id, lower(user_name)) WHERE deleted_at IS NULL');
    await q.query('CREATE INDEX directory_users_directory_idx ON directory_users (directory_id, id)');
    await q.query('CREATE INDEX directory_users_external_id_idx ON directory_users (directory_id, external_id)');
    await q.query('CREATE INDEX directory_users_environment_idx ON directory_users (environment_id, id)');

    await q.query(`
      CREATE TABLE directory_groups (
        id text PRIMARY KEY,
        directory_id text NOT NULL REFERENCES directories(id) ON DELETE CASCADE,
        environment_id text NOT NULL,
        organization_id text NOT NULL,
        name text NOT NULL,
        external_id text,
        idp_id text NOT NULL,
        raw_attributes jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX directory_groups_directory_idx ON directory_groups (directory_id, id)');
    await q.query('CREATE INDEX directory_groups_name_idx ON directory_groups (directory_id, lower(name))');
    await q.query('CREATE INDEX directory_groups_environment_idx ON directory_groups (environment_id, id)');

    await q.query(`
      CREATE TABLE directory_group_members (
        group_id text NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES directory_users(id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query('CREATE INDEX directory_group_members_user_idx ON directory_group_members (user_id)');

    await q.query(`
      CREATE TABLE custom_attributes (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        key text NOT NULL,
        label text NOT NULL,
        type text NOT NULL CHECK (type IN ('string', 'number', 'boolean', 'array')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX custom_attributes_key_idx ON custom_attributes (environment_id, key)');

    await q.query(`
      CREATE TABLE scim_requests (
        id text PRIMARY KEY,
        directory_id text NOT NULL REFERENCES directories(id) ON DELETE CASCADE,
        method text NOT NULL,
        path text NOT NULL,
        status integer NOT NULL,
        duration_ms real NOT NULL,
        request_body jsonb,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX scim_requests_directory_idx ON scim_requests (directory_id, id DESC)');

    await q.query(`
      CREATE TABLE events (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        organization_id text,
        event text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX events_environment_idx ON events (environment_id, event, id)');
    await q.query('CREATE INDEX events_environment_time_idx ON events (environment_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['events', 'scim_requests', 'custom_attributes', 'directory_group_members', 'directory_groups', 'directory_users', 'directories']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
