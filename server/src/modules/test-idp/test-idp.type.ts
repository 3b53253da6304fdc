import { Field, ID, ObjectType } from 'type-graphql';
import { testIdpEndpoints } from './test-idp.service';
import type { TestIdentityProviderEntity } from './test-idp.entity';

@ObjectType('TestIdentityProvider', { description: 'Portico’s built-in SAML identity provider of a Staging environment, connected to its Test Organization' })
export class TestIdentityProvider {
  @Field({ description: 'False in Production: the test IdP exists only in Staging' }) available: boolean;
  @Field({ description: 'True once its key, Test Organization and connection exist; setTestIdentityProviderEnabled(enabled: true) sets it up' }) setUp: boolean;
  @Field({ description: 'When false, its login page refuses every sign-in (Configuration setting)' }) enabled: boolean;
  @Field(() => ID, { nullable: true }) organizationId: string | null;
  @Field(() => ID, { nullable: true }) connectionId: string | null;
  @Field(() => String, { nullable: true, description: 'IdP metadata (entity ID, SSO URL, signing certificate)' }) metadataUrl: string | null;
  @Field(() => String, { nullable: true, description: 'The login page: open it to start an IdP-initiated sign-in' }) loginUrl: string | null;
}

/** `available`: the environment is a Staging one (whether or not its test IdP is set up yet). */
export function presentTestIdentityProvider(row: TestIdentityProviderEntity | null, publicUrl: string, environmentId: string, available: boolean): TestIdentityProvider {
  const urls = row && available ? testIdpEndpoints(publicUrl, environmentId) : null;
  return Object.assign(new TestIdentityProvider(), {
    available, setUp: available && row?.connectionId != null, enabled: row?.enabled ?? false, organizationId: row?.organizationId ?? null, connectionId: row?.connectionId ?? null,
    metadataUrl: urls?.metadataUrl ?? null, loginUrl: urls?.ssoUrl ?? null,
  });
}
