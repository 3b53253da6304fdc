import { SCHEMAS } from '../../modules/directories/scim-attributes';

/** RFC 7643 §5–7: what this SCIM server supports, for clients that read it before provisioning. */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://github.com/portico/portico#directory-sync',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 200 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token', description: 'The directory’s bearer token from the Portico dashboard', primary: true }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  const list = [
    { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'User', name: 'User', endpoint: '/Users', schema: SCHEMAS.user,
      schemaExtensions: [{ schema: SCHEMAS.enterprise, required: false }], meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` } },
    { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'Group', name: 'Group', endpoint: '/Groups', schema: SCHEMAS.group,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` } },
  ];
  return { schemas: [SCHEMAS.list], totalResults: list.length, startIndex: 1, itemsPerPage: list.length, Resources: list };
}

const attribute = (name: string, type = 'string', extra: Record<string, unknown> = {}) => ({
  name, type, multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra,
});

export function schemas(baseUrl: string) {
  const list = [
    {
      id: SCHEMAS.user, name: 'User', description: 'User Account',
      attributes: [
        attribute('userName', 'string', { required: true, uniqueness: 'server' }),
        attribute('name', 'complex', { subAttributes: ['formatted', 'familyName', 'givenName', 'middleName'].map((n) => attribute(n)) }),
        attribute('displayName'), attribute('title'), attribute('active', 'boolean'), attribute('externalId', 'string', { caseExact: true }),
        attribute('emails', 'complex', { multiValued: true, subAttributes: [attribute('value'), attribute('type'), attribute('primary', 'boolean')] }),
        attribute('groups', 'complex', { multiValued: true, mutability: 'readOnly', subAttributes: [attribute('value'), attribute('display')] }),
      ],
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCHEMAS.user}` },
    },
    {
      id: SCHEMAS.group, name: 'Group', description: 'Group',
      attributes: [attribute('displayName', 'string', { required: true }), attribute('externalId', 'string', { caseExact: true }),
        attribute('members', 'complex', { multiValued: true, subAttributes: [attribute('value'), attribute('display')] })],
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCHEMAS.group}` },
    },
    {
      id: SCHEMAS.enterprise, name: 'EnterpriseUser', description: 'Enterprise User',
      attributes: ['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => attribute(n)).concat([
        attribute('manager', 'complex', { subAttributes: [attribute('value'), attribute('displayName')] }),
      ]),
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCHEMAS.enterprise}` },
    },
  ];
  return { schemas: [SCHEMAS.list], totalResults: list.length, startIndex: 1, itemsPerPage: list.length, Resources: list };
}
