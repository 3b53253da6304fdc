import { graphql } from '../../gql';

export const ConnectionQuery = graphql(`
  query ConnectionDetails($id: ID!) {
    connection: ssoConnection(id: $id) {
      id name connectionType state idpEntityId idpSsoUrl idpMetadataUrl acsUrl spEntityId spMetadataUrl mappingPresetConnectionType idpInitiatedEnabled acceptUnencryptedAssertions requireSignedAssertions createdAt
      idpMetadataRefreshedAt idpMetadataRefreshError
      organization { id name }
      certificates { subject issuer fingerprintSha256 notBefore notAfter expired }
      spEncryptionCertificate { subject fingerprintSha256 notAfter expired pem }
      spNextEncryptionCertificate { subject fingerprintSha256 notAfter expired pem }
      certificateUsage { fingerprintSha256 role lastUsedAt signIns }
      attributeMapping { idpId email firstName lastName groups }
      oidc { discoveryUrl issuer authorizationEndpoint tokenEndpoint jwksUri clientId clientSecretSet scopes redirectUri }
    }
  }
`);

export const CreateOidcConnectionMutation = graphql(`
  mutation CreateOidcConnection($input: CreateOidcConnectionInput!) { createOidcConnection(input: $input) { id } }
`);

export const UpdateOidcConnectionMutation = graphql(`
  mutation UpdateOidcConnection($input: UpdateOidcConnectionInput!) {
    updateOidcConnection(input: $input) {
      id name connectionType state mappingPresetConnectionType
      attributeMapping { idpId email firstName lastName groups }
      oidc { discoveryUrl issuer authorizationEndpoint tokenEndpoint jwksUri clientId clientSecretSet scopes redirectUri }
    }
  }
`);

export const CreateSsoConnectionMutation = graphql(`
  mutation CreateSsoConnection($input: CreateSsoConnectionInput!) { createSsoConnection(input: $input) { id } }
`);

export const UpdateSsoConnectionMutation = graphql(`
  mutation UpdateSsoConnection($input: UpdateSsoConnectionInput!) {
    updateSsoConnection(input: $input) {
      id name connectionType state idpEntityId idpSsoUrl idpMetadataUrl mappingPresetConnectionType idpInitiatedEnabled acceptUnencryptedAssertions requireSignedAssertions
      certificates { subject issuer fingerprintSha256 notBefore notAfter expired }
      attributeMapping { idpId email firstName lastName groups }
    }
  }
`);

export const SetSsoConnectionEnabledMutation = graphql(`
  mutation SetSsoConnectionEnabled($id: ID!, $enabled: Boolean!) { setSsoConnectionEnabled(id: $id, enabled: $enabled) { id state } }
`);

export const GenerateSpKeyMutation = graphql(`
  mutation GenerateSpEncryptionKey($id: ID!) {
    generateSpEncryptionKey(id: $id) {
      id acceptUnencryptedAssertions
      spEncryptionCertificate { subject fingerprintSha256 notAfter expired pem }
      spNextEncryptionCertificate { subject fingerprintSha256 notAfter expired pem }
    }
  }
`);

export const PromoteSpKeyMutation = graphql(`
  mutation PromoteSpEncryptionKey($id: ID!) {
    promoteSpEncryptionKey(id: $id) {
      id
      spEncryptionCertificate { subject fingerprintSha256 notAfter expired pem }
      spNextEncryptionCertificate { subject fingerprintSha256 notAfter expired pem }
    }
  }
`);

export const RemoveSpKeyMutation = graphql(`
  mutation RemoveSpEncryptionKey($id: ID!, $next: Boolean) {
    removeSpEncryptionKey(id: $id, next: $next) { id spEncryptionCertificate { subject } spNextEncryptionCertificate { subject } }
  }
`);

export const DeleteSsoConnectionMutation = graphql(`
  mutation DeleteSsoConnection($id: ID!) { deleteSsoConnection(id: $id) { id } }
`);

/** The SAML connection types the dashboard offers first; the rest of the contract's list follows. */
export const CONNECTION_TYPES: { value: string; label: string }[] = [
  { value: 'OktaSAML', label: 'Okta' },
  { value: 'AzureSAML', label: 'Microsoft Entra ID (Azure AD)' },
  { value: 'GoogleSAML', label: 'Google Workspace' },
  { value: 'ADFSSAML', label: 'Microsoft AD FS' },
  { value: 'OneLoginSAML', label: 'OneLogin' },
  { value: 'PingOneSAML', label: 'PingOne' },
  { value: 'PingFederateSAML', label: 'PingFederate' },
  { value: 'JumpCloudSAML', label: 'JumpCloud' },
  { value: 'KeycloakSAML', label: 'Keycloak' },
  { value: 'GenericSAML', label: 'Custom SAML 2.0' },
];

/** OpenID Connect connection types: each sets the claim mapping Portico starts from. */
export const OIDC_CONNECTION_TYPES: { value: string; label: string }[] = [
  { value: 'OktaOIDC', label: 'Okta (OpenID Connect)' },
  { value: 'EntraIdOIDC', label: 'Microsoft Entra ID (OpenID Connect)' },
  { value: 'GenericOIDC', label: 'Custom OpenID Connect' },
];

export const isOidcType = (type: string) => type.endsWith('OIDC');

export const connectionTypeLabel = (type: string) =>
  CONNECTION_TYPES.find((t) => t.value === type)?.label ?? OIDC_CONNECTION_TYPES.find((t) => t.value === type)?.label ?? type.replace(/SAML$/, ' SAML');

export const ConnectionSessionsQuery = graphql(`
  query ConnectionSessions($id: ID!, $first: Int, $after: String, $filter: SessionFilterInput) {
    connection: ssoConnection(id: $id) {
      id state unrecordedFailedAttempts
      sessions(first: $first, after: $after, filter: $filter) {
        edges { node { id state origin timedOut testSignIn email firstName lastName error errorMessage createdAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const SessionQuery = graphql(`
  query SessionDetails($id: ID!, $withDecryptedAssertion: Boolean!) {
    session(id: $id) {
      id state origin timedOut testSignIn email firstName lastName idpId redirectUri profile provider oauthExchange
      error errorReason errorMessage errorDetails samlRequest samlResponse samlResponseBytes samlResponseTruncated
      decryptedAssertion @include(if: $withDecryptedAssertion) spKeyFingerprint idpCertificateFingerprint
      startedAt authorizedAt succeededAt failedAt createdAt
      connection {
        id name connectionType organization { id name }
        certificates { subject issuer fingerprintSha256 notBefore notAfter expired }
        spEncryptionCertificate { subject issuer fingerprintSha256 notBefore notAfter expired }
        spNextEncryptionCertificate { subject issuer fingerprintSha256 notBefore notAfter expired }
        attributeMapping { idpId email firstName lastName groups }
      }
    }
  }
`);
