import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenID Connect connections (issue 13): an organization's connection may be an OIDC relying-party registration at
 * its IdP (GenericOIDC, OktaOIDC, EntraIdOIDC) beside the SAML ones. The IdP's endpoints come from its discovery
 * document or by hand; the client secret is sealed (SecretBox) and never leaves the server. The claim mapping reuses
 * `attribute_mapping` (claim names instead of SAML attribute names) and `mapping_preset`.
 */
export class OidcConnections1765900000000 implements MigrationInterface {
  name = 'OidcConnections1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connections
      ADD COLUMN oidc_discovery_url text, ADD COLUMN oidc_issuer text, ADD COLUMN oidc_authorization_endpoint text,
      ADD COLUMN oidc_token_endpoint text, ADD COLUMN oidc_jwks_uri text, ADD COLUMN oidc_client_id text,
      ADD COLUMN oidc_client_secret_sealed text, ADD COLUMN oidc_scopes jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM connections WHERE connection_type IN ('GenericOIDC', 'OktaOIDC', 'EntraIdOIDC')`);
    await q.query(`ALTER TABLE connections DROP COLUMN oidc_discovery_url, DROP COLUMN oidc_issuer, DROP COLUMN oidc_authorization_endpoint,
      DROP COLUMN oidc_token_endpoint, DROP COLUMN oidc_jwks_uri, DROP COLUMN oidc_client_id, DROP COLUMN oidc_client_secret_sealed, DROP COLUMN oidc_scopes`);
  }
}
