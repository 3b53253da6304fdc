import { graphql } from '../../gql';

export const ConnectionQuery = graphql(`
  query ConnectionDetails($id: ID!) {
    connection(id: $id) {
      id name connectionType state idpEntityId idpSsoUrl idpMetadataUrl acsUrl spEntityId spMetadataUrl mappingPreset idpInitiatedEnabled acceptUnencryptedAssertions createdAt
      organization { id name }
      certificates { subject issuer fingerprintSha256 notBefore notAfter expired }
      spEncryptionCertificate { subject fingerprintSha256 notAfter expired pem }
      attributeMapping { idpId email firstName lastName groups }
    }
  }
`);

export const CreateSamlConnectionMutation = graphql(`
  mutation CreateSamlConnection($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) { id } }
`);

export const UpdateSamlConnectionMutation = graphql(`
  mutation UpdateSamlConnection($input: UpdateSamlConnectionInput!) {
    updateSamlConnection(input: $input) {
      id name connectionType state idpEntityId idpSsoUrl idpMetadataUrl mappingPreset idpInitiatedEnabled acceptUnencryptedAssertions
      certificates { subject issuer fingerprintSha256 notBefore notAfter expired }
      attributeMapping { idpId email firstName lastName groups }
    }
  }
`);

export const SetConnectionEnabledMutation = graphql(`
  mutation SetConnectionEnabled($id: ID!, $enabled: Boolean!) { setConnectionEnabled(id: $id, enabled: $enabled) { id state } }
`);

export const GenerateSpKeyMutation = graphql(`
  mutation GenerateSpEncryptionKey($id: ID!) { generateSpEncryptionKey(id: $id) { id acceptUnencryptedAssertions spEncryptionCertificate { subject fingerprintSha256 notAfter expired pem } } }
`);

export const RemoveSpKeyMutation = graphql(`
  mutation RemoveSpEncryptionKey($id: ID!) { removeSpEncryptionKey(id: $id) { id spEncryptionCertificate { subject } } }
`);

export const DeleteConnectionMutation = graphql(`
  mutation DeleteConnection($id: ID!) { deleteConnection(id: $id) { id } }
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

export const connectionTypeLabel = (type: string) => CONNECTION_TYPES.find((t) => t.value === type)?.label ?? type.replace(/SAML$/, ' SAML');

export const ConnectionSessionsQuery = graphql(`
  query ConnectionSessions($id: ID!, $first: Int, $after: String, $filter: SessionFilterInput) {
    connection(id: $id) {
      id state unrecordedFailedAttempts
      sessions(first: $first, after: $after, filter: $filter) {
        edges { node { id state origin timedOut email firstName lastName error errorMessage createdAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const SessionQuery = graphql(`
  query SessionDetails($id: ID!) {
    session(id: $id) {
      id state origin timedOut email firstName lastName idpId redirectUri
      error errorReason errorMessage errorDetails samlRequest samlResponse samlResponseBytes samlResponseTruncated
      startedAt authorizedAt succeededAt failedAt createdAt
      connection {
        id name connectionType organization { id name }
        certificates { subject issuer fingerprintSha256 notBefore notAfter expired }
        spEncryptionCertificate { subject issuer fingerprintSha256 notBefore notAfter expired }
        attributeMapping { idpId email firstName lastName groups }
      }
    }
  }
`);
