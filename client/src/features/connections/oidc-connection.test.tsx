import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { ConnectionQuery, CreateOidcConnectionMutation, UpdateOidcConnectionMutation } from './api';
import { ConnectionPage } from './connection-page';
import { CreateConnectionDialog } from './create-connection-dialog';

const ID = 'conn_01J0000000000000000000OIDC';
const ORG = 'org_01J00000000000000000000000';
const OIDC = {
  __typename: 'OidcConfiguration', discoveryUrl: 'https://acme.okta.com/.well-known/openid-configuration', issuer: 'https://acme.okta.com', authorizationEndpoint: 'https://acme.okta.com/oauth2/v1/authorize',
  tokenEndpoint: 'https://acme.okta.com/oauth2/v1/token', jwksUri: 'https://acme.okta.com/oauth2/v1/keys', clientId: '0oa1b2c3', clientSecretSet: true, scopes: ['openid', 'profile', 'email'], redirectUri: 'http://portico.test/sso/oauth/callback',
};
const MAPPING = { __typename: 'AttributeMapping', idpId: ['sub'], email: ['email'], firstName: ['given_name'], lastName: ['family_name'], groups: ['groups'] };
const connection = {
  __typename: 'SsoConnection', id: ID, name: 'Acme Okta OIDC', connectionType: 'OktaOIDC', state: 'VALIDATING', idpEntityId: null, idpSsoUrl: null, idpMetadataUrl: null,
  acsUrl: `http://portico.test/sso/saml/acs/${ID}`, spEntityId: `http://portico.test/sso/saml/metadata/${ID}`, spMetadataUrl: `http://portico.test/sso/saml/metadata/${ID}`,
  mappingPresetConnectionType: 'OktaOIDC', idpInitiatedEnabled: false, acceptUnencryptedAssertions: false, requireSignedAssertions: false, createdAt: '2026-12-01T10:00:00.000Z',
  idpMetadataRefreshedAt: null, idpMetadataRefreshError: null, spNextEncryptionCertificate: null, certificateUsage: [], spEncryptionCertificate: null, certificates: [],
  organization: { __typename: 'Organization', id: ORG, name: 'Acme' }, attributeMapping: MAPPING, oidc: OIDC,
};

describe('Connection page: an OpenID Connect connection', () => {
  it('shows the redirect URI to register, the IdP configuration with the secret only as set, the claim mapping, and no SAML cards', async () => {
    renderScreen(<Routes><Route path="/connections/:id" element={<ConnectionPage />} /></Routes>, {
      path: `/connections/${ID}`, mocks: [{ request: { query: ConnectionQuery, variables: { id: ID } }, result: { data: { connection } } }],
    });
    const rp = await screen.findByRole('region', { name: 'Relying party details' });
    expect(within(rp).getByText(OIDC.redirectUri)).toBeTruthy();
    expect(within(rp).getByRole('button', { name: /Copy Redirect URI/i })).toBeTruthy();
    const idp = screen.getByRole('region', { name: 'Identity provider' });
    expect(within(idp).getByText(OIDC.issuer)).toBeTruthy();
    expect(within(idp).getByText('Set')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Claim mapping' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Service provider details' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Encrypted assertions' })).toBeNull();
    expect(screen.getByText(/Okta OpenID Connect connection/)).toBeTruthy();
  }, 30_000);

  it('replaces the client secret: a blank secret is not sent, a new one is, and the answer shows it set', async () => {
    const input = { id: ID, discoveryUrl: OIDC.discoveryUrl, clientId: OIDC.clientId, clientSecret: 'new-secret', scopes: ['openid', 'profile', 'email', 'groups'] };
    renderScreen(<Routes><Route path="/connections/:id" element={<ConnectionPage />} /></Routes>, {
      path: `/connections/${ID}`,
      mocks: [
        { request: { query: ConnectionQuery, variables: { id: ID } }, result: { data: { connection } } },
        { request: { query: UpdateOidcConnectionMutation, variables: { input } }, result: { data: { updateOidcConnection: { __typename: 'SsoConnection', id: ID, name: connection.name, connectionType: 'OktaOIDC', state: 'VALIDATING', mappingPresetConnectionType: 'OktaOIDC', attributeMapping: MAPPING, oidc: { ...OIDC, scopes: input.scopes } } } } },
      ],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Update configuration' }));
    const dialog = await screen.findByRole('dialog', { name: 'Identity provider configuration' });
    const secret = within(dialog).getByLabelText('Client secret') as HTMLInputElement;
    expect(secret.value).toBe('');
    expect(secret.type).toBe('password');
    expect(within(dialog).getByText(/A secret is stored \(never shown\)/)).toBeTruthy();
    fireEvent.change(secret, { target: { value: 'new-secret' } });
    fireEvent.change(within(dialog).getByLabelText('Scopes'), { target: { value: 'openid profile email groups' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Identity provider configuration' })).toBeNull());
    expect(await screen.findByText('openid profile email groups')).toBeTruthy();
  }, 30_000);
});

describe('Create connection: OpenID Connect', () => {
  it('offers OpenID Connect beside SAML with the Okta, Entra ID and generic presets, and creates from a discovery URL', async () => {
    const input = { organizationId: ORG, connectionType: 'EntraIdOIDC', name: null, discoveryUrl: 'https://login.microsoftonline.com/tenant/v2.0', clientId: 'app-id', clientSecret: 's3cret', scopes: ['openid', 'profile', 'email'] };
    renderScreen(
      <Routes>
        <Route path="/" element={<CreateConnectionDialog open organizationId={ORG} organizationName="Acme" onClose={() => {}} />} />
        <Route path="/connections/:id" element={<p>Connection page</p>} />
      </Routes>,
      { mocks: [{ request: { query: CreateOidcConnectionMutation, variables: { input } }, result: { data: { createOidcConnection: { __typename: 'SsoConnection', id: ID } } } }] },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Add connection' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'OpenID Connect' }));
    const type = within(dialog).getByLabelText('Identity provider') as HTMLSelectElement;
    expect([...type.options].map((o) => o.value)).toEqual(['OktaOIDC', 'EntraIdOIDC', 'GenericOIDC']);
    fireEvent.change(type, { target: { value: 'EntraIdOIDC' } });
    expect(within(dialog).getByText(/\/sso\/oauth\/callback/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Discovery URL'), { target: { value: input.discoveryUrl } });
    fireEvent.change(within(dialog).getByLabelText('Client ID'), { target: { value: 'app-id' } });
    fireEvent.change(within(dialog).getByLabelText('Client secret'), { target: { value: 's3cret' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create connection' }));
    expect(await screen.findByText('Connection page')).toBeTruthy();
  }, 30_000);
});
