import { isValidEmail, normalizeEmail } from '@portico/shared';
import { SamlError } from './saml-error';

/** The subject's NameID as a mapping source. */
export const NAME_ID = '$NameID';

export type ProfileField = 'idpId' | 'email' | 'firstName' | 'lastName' | 'groups';

/** For each profile field, the attribute names to read, in order; the first one present wins. */
export type AttributeMapping = Record<ProfileField, string[]>;

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const GENERIC: AttributeMapping = { idpId: ['id'], email: ['email'], firstName: ['firstName'], lastName: ['lastName'], groups: ['groups'] };

/** What each IdP sends when set up as WorkOS's guides say (contract §6.3). */
export const MAPPING_PRESETS = {
  GENERIC,
  OKTA: GENERIC,
  ONELOGIN: GENERIC,
  PINGONE: GENERIC,
  PING_FEDERATE: GENERIC,
  JUMPCLOUD: { ...GENERIC, idpId: ['id', 'email'] },
  ENTRA_ID: {
    idpId: ['http://schemas.microsoft.com/identity/claims/objectidentifier', NAME_ID],
    email: [`${CLAIMS}/emailaddress`, `${CLAIMS}/name`],
    firstName: [`${CLAIMS}/givenname`],
    lastName: [`${CLAIMS}/surname`],
    groups: ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
  },
  // Google can't send an `id` attribute: the NameID (the primary email) identifies the user.
  GOOGLE: { idpId: [NAME_ID], email: ['email', NAME_ID], firstName: ['firstName'], lastName: ['lastName'], groups: ['groups'] },
  ADFS: {
    idpId: [`${CLAIMS}/upn`, NAME_ID],
    email: [`${CLAIMS}/emailaddress`],
    firstName: [`${CLAIMS}/givenname`],
    lastName: [`${CLAIMS}/surname`],
    groups: ['http://schemas.xmlsoap.org/claims/Group'],
  },
} satisfies Record<string, AttributeMapping>;

export type MappingPreset = keyof typeof MAPPING_PRESETS;

export const REQUIRED_FIELDS: ProfileField[] = ['idpId', 'email', 'firstName', 'lastName'];

export interface SamlUserProfile {
  idpId: string;
  email: string;
  firstName: string;
  lastName: string;
  groups: string[];
  /** Every attribute as received, and the NameID, for the session record. */
  rawAttributes: Record<string, string | string[]>;
}

function lookup(sources: string[], nameId: string, attributes: Record<string, string | string[]>): string[] {
  for (const source of sources) {
    // Own keys: a mapping source named "toString" must find an attribute of that name or nothing, never Object's method.
    const value = source === NAME_ID ? nameId : Object.hasOwn(attributes, source) ? attributes[source] : undefined;
    const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => String(v).trim()).filter(Boolean);
    if (values.length) return values;
  }
  return [];
}

/**
 * Maps the signed NameID and attributes to Portico's profile. Missing required fields or a malformed email
 * are Invalid Attributes, with what was received and the mapping that was applied, so the IT admin can fix it.
 */
export function mapSamlProfile(nameId: string, attributes: Record<string, string | string[]>, mapping: AttributeMapping): SamlUserProfile {
  const rawAttributes = { [NAME_ID]: nameId, ...attributes };
  const read = (field: ProfileField) => lookup(mapping[field], nameId, attributes);
  const missing = REQUIRED_FIELDS.filter((field) => read(field).length === 0);
  if (missing.length) {
    throw new SamlError({
      reason: 'missing_attributes',
      message: `The response lacks required attributes: ${missing.map((f) => mapping[f].join(' or ')).join('; ')}`,
      expected: missing,
      received: Object.keys(attributes),
      details: { missing, receivedAttributes: rawAttributes, mapping },
    });
  }
  const email = normalizeEmail(read('email')[0]!);
  if (!isValidEmail(email)) {
    throw new SamlError({ reason: 'invalid_attribute_value', message: 'The email attribute does not hold an email address', expected: 'name@domain.tld', received: email, details: { receivedAttributes: rawAttributes, mapping } });
  }
  return { idpId: read('idpId')[0]!, email, firstName: read('firstName')[0]!, lastName: read('lastName')[0]!, groups: read('groups'), rawAttributes };
}
