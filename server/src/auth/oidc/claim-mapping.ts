import { isValidEmail, normalizeEmail } from '@portico/shared';
import type { AttributeMapping } from '../saml';
import { OidcError } from './oidc-error';

/**
 * OpenID Connect connection types (contract §2.6) and the claim mapping each starts from: for each profile field,
 * the ID-token claims read in order, the first one present wins. Entra ID identifies a user by `oid` (stable per
 * tenant; `sub` is pairwise per application) and may send the address only as `preferred_username`/`upn`; Okta sends
 * `groups` when the app's groups claim is set up.
 */
export const OIDC_CONNECTION_TYPES = {
  GenericOIDC: { preset: 'GENERIC', label: 'OpenID Connect' },
  OktaOIDC: { preset: 'OKTA', label: 'Okta OpenID Connect' },
  EntraIdOIDC: { preset: 'ENTRA_ID', label: 'Microsoft Entra ID OpenID Connect' },
} as const;

export type OidcConnectionType = keyof typeof OIDC_CONNECTION_TYPES;
export type OidcClaimPreset = (typeof OIDC_CONNECTION_TYPES)[OidcConnectionType]['preset'];

const GENERIC: AttributeMapping = { idpId: ['sub'], email: ['email'], firstName: ['given_name'], lastName: ['family_name'], groups: ['groups'] };

export const OIDC_CLAIM_PRESETS: Record<OidcClaimPreset, AttributeMapping> = {
  GENERIC,
  OKTA: GENERIC,
  ENTRA_ID: { idpId: ['oid', 'sub'], email: ['email', 'preferred_username', 'upn'], firstName: ['given_name'], lastName: ['family_name'], groups: ['groups', 'roles'] },
};

export const DEFAULT_OIDC_SCOPES = ['openid', 'profile', 'email'];

export const isOidcConnectionType = (type: string): type is OidcConnectionType => Object.hasOwn(OIDC_CONNECTION_TYPES, type);

export interface OidcUserProfile {
  idpId: string;
  email: string;
  firstName: string;
  lastName: string;
  groups: string[];
}

function read(claims: Record<string, unknown>, sources: string[]): string[] {
  for (const source of sources) {
    // Own keys only: a mapping naming "constructor" finds a claim of that name or nothing.
    const value = Object.hasOwn(claims, source) ? claims[source] : undefined;
    const values = (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value])
      .filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v).trim()).filter(Boolean);
    if (values.length) return values;
  }
  return [];
}

/**
 * Maps validated ID-token claims to the profile. The subject and an email address are required (a missing one is
 * `missing_claims`, with the claims received and the mapping applied); names are optional, from `name` when the
 * mapped claims are absent.
 */
export function mapOidcProfile(claims: Record<string, unknown>, mapping: AttributeMapping): OidcUserProfile {
  const missing = (['idpId', 'email'] as const).filter((field) => read(claims, mapping[field]).length === 0);
  if (missing.length) {
    throw new OidcError({
      reason: 'missing_claims', message: `The ID token lacks required claims: ${missing.map((f) => mapping[f].join(' or ')).join('; ')}`,
      expected: missing.map((f) => mapping[f]), received: Object.keys(claims), details: { missing, mapping },
    });
  }
  const email = normalizeEmail(read(claims, mapping.email)[0]!);
  if (!isValidEmail(email)) throw new OidcError({ reason: 'missing_claims', message: 'The mapped email claim does not hold an email address', expected: 'name@domain.tld', received: email, details: { mapping } });
  const name = typeof claims.name === 'string' ? claims.name.trim() : '';
  const space = name.lastIndexOf(' ');
  return {
    idpId: read(claims, mapping.idpId)[0]!, email,
    firstName: read(claims, mapping.firstName)[0] ?? (space > 0 ? name.slice(0, space) : name),
    lastName: read(claims, mapping.lastName)[0] ?? (space > 0 ? name.slice(space + 1) : ''),
    groups: read(claims, mapping.groups),
  };
}
