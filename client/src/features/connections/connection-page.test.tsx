import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { ConnectionQuery, ConnectionSessionsQuery, UpdateSsoConnectionMutation } from './api';
import { ConnectionPage } from './connection-page';

const ID = 'conn_01J00000000000000000000000';
const CERT = { __typename: 'Certificate', subject: 'CN=Portico SP', issuer: 'CN=Portico SP', fingerprintSha256: 'AA:BB', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2036-01-01T00:00:00.000Z', expired: false };
const MAPPING = { __typename: 'AttributeMapping', idpId: ['id'], email: ['email'], firstName: ['firstName'], lastName: ['lastName'], groups: ['groups'] };
const connection = (acceptUnencryptedAssertions: boolean, extra: Record<string, unknown> = {}) => ({
  __typename: 'SsoConnection', id: ID, name: 'Acme Okta', connectionType: 'OktaSAML', state: 'ACTIVE', idpEntityId: 'https://idp.example.com', idpSsoUrl: 'https://idp.example.com/sso',
  idpMetadataUrl: null, acsUrl: `http://portico.test/sso/saml/acs/${ID}`, spEntityId: `http://portico.test/sso/saml/metadata/${ID}`, spMetadataUrl: `http://portico.test/sso/saml/metadata/${ID}`,
  mappingPresetConnectionType: 'OktaSAML', idpInitiatedEnabled: true, acceptUnencryptedAssertions, requireSignedAssertions: false, createdAt: '2026-11-26T10:00:00.000Z',
  idpMetadataRefreshedAt: null, idpMetadataRefreshError: null, spNextEncryptionCertificate: null, certificateUsage: [],
  organization: { __typename: 'Organization', id: 'org_01J00000000000000000000000', name: 'Acme' },
  certificates: [{ ...CERT, subject: 'CN=idp' }], spEncryptionCertificate: { ...CERT, pem: '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----' }, attributeMapping: MAPPING,
  oidc: null,
  ...extra,
});

describe('Connection page: encrypted assertions', () => {
  it('offers a rollout switch for unencrypted assertions once an SP key exists, says what it does, and saves it', async () => {
    const after = connection(true);
    // What UpdateSamlConnection selects.
    const updated = Object.fromEntries(['__typename', 'id', 'name', 'connectionType', 'state', 'idpEntityId', 'idpSsoUrl', 'idpMetadataUrl', 'mappingPresetConnectionType', 'idpInitiatedEnabled', 'acceptUnencryptedAssertions', 'requireSignedAssertions', 'certificates', 'attributeMapping']
      .map((key) => [key, after[key as keyof typeof after]]));
    renderScreen(<Routes><Route path="/connections/:id" element={<ConnectionPage />} /></Routes>, {
      path: `/connections/${ID}`,
      mocks: [
        { request: { query: ConnectionQuery, variables: { id: ID } }, result: { data: { connection: connection(false) } } },
        { request: { query: UpdateSsoConnectionMutation, variables: { input: { id: ID, acceptUnencryptedAssertions: true } } }, result: { data: { updateSsoConnection: updated } } },
      ],
    });
    const toggle = await screen.findByRole('checkbox', { name: /Accept unencrypted assertions during rollout/ });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText(/Turn it off as soon as the identity provider encrypts/)).toBeTruthy();
    fireEvent.click(toggle);
    await waitFor(() => expect((screen.getByRole('checkbox', { name: /Accept unencrypted assertions during rollout/ }) as HTMLInputElement).checked).toBe(true));
  });
});

describe('Connection page: key rollover', () => {
  it('shows the next SP key beside the current one, which keys recent sign-ins used, and offers to promote it', async () => {
    const next = { ...CERT, subject: 'CN=Portico SP next', fingerprintSha256: 'CC:DD', pem: '-----BEGIN CERTIFICATE-----\nCC\n-----END CERTIFICATE-----' };
    const usage = [
      { __typename: 'CertificateUse', fingerprintSha256: 'AA:BB', role: 'SP_ENCRYPTION', lastUsedAt: '2026-11-26T09:00:00.000Z', signIns: 3 },
      { __typename: 'CertificateUse', fingerprintSha256: 'CC:DD', role: 'SP_ENCRYPTION', lastUsedAt: '2026-11-26T10:00:00.000Z', signIns: 1 },
    ];
    renderScreen(<Routes><Route path="/connections/:id" element={<ConnectionPage />} /></Routes>, {
      path: `/connections/${ID}`,
      mocks: [{ request: { query: ConnectionQuery, variables: { id: ID } }, result: { data: { connection: connection(false, { spNextEncryptionCertificate: next, certificateUsage: usage }) } } }],
    });
    const card = await screen.findByTestId('next-sp-key');
    expect(card.textContent).toContain('CN=Portico SP next');
    expect(card.textContent).toMatch(/1 sign-in in 30 days/);
    expect(screen.getByText(/3 sign-ins in 30 days/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Promote to current' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: /Require signed assertions/ })).toBeTruthy();
  });
});

describe('Connection page: Sessions tab', () => {
  it('turns the Validating badge Active when the Sessions tab brings the first successful sign-in', async () => {
    const success = { __typename: 'SsoSessionEdge', node: { __typename: 'SsoSession', id: 'sso_session_01J0000000000000000000000A', state: 'SUCCESSFUL', origin: 'SP', timedOut: false, testSignIn: false, email: 'ada@acme.com', firstName: 'Ada', lastName: 'L', error: null, errorMessage: null, createdAt: '2026-11-26T10:00:00.000Z' } };
    renderScreen(<Routes><Route path="/connections/:id/sessions" element={<ConnectionPage tab="sessions" />} /></Routes>, {
      path: `/connections/${ID}/sessions`,
      mocks: [
        { request: { query: ConnectionQuery, variables: { id: ID } }, result: { data: { connection: { ...connection(false), state: 'VALIDATING' } } } },
        { request: { query: ConnectionSessionsQuery, variables: { id: ID, first: 50, filter: { statuses: null, errors: null, email: null, from: null, to: null } } },
          result: { data: { connection: { __typename: 'SsoConnection', id: ID, state: 'ACTIVE', unrecordedFailedAttempts: 0, sessions: { __typename: 'SsoSessionConnection', edges: [success], pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null } } } } } },
      ],
    });
    const heading = await screen.findByRole('heading', { level: 1 });
    expect(await screen.findByText('ada@acme.com')).toBeTruthy();
    await waitFor(() => expect(within(heading).getByText('Active')).toBeTruthy());
    expect(within(heading).queryByText('Validating')).toBeNull();
  });
});
