import { ownEntry } from '../../lib/own-keys';
import { ScimError } from './scim-error';

export interface ScimCondition {
  attribute: 'userName' | 'externalId' | 'displayName' | 'id' | 'emails.value';
  value: string;
}

const SUPPORTED: Record<string, ScimCondition['attribute']> = {
  username: 'userName', externalid: 'externalId', displayname: 'displayName', id: 'id', 'emails.value': 'emails.value', emails: 'emails.value',
};

/**
 * The filters provisioning clients send (RFC 7644 §3.4.2.2): `attribute eq "value"`, joined with `and`. Okta and
 * Entra ID look users up by `userName eq` (or `externalId eq`) and groups by `displayName eq` before creating them.
 * Anything else is refused with `invalidFilter` rather than answered wrongly.
 */
export function parseScimFilter(filter: string | undefined): ScimCondition[] {
  if (!filter?.trim()) return [];
  const parts = filter.trim().split(/\s+and\s+/i);
  return parts.map((part) => {
    const match = /^([\w.:]+)\s+eq\s+"((?:[^"\\]|\\.)*)"$/i.exec(part.trim());
    if (!match) throw new ScimError(400, `Unsupported filter "${part.trim()}": use attribute eq "value" (joined with and)`, 'invalidFilter');
    const name = match[1]!.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '').toLowerCase();
    const attribute = ownEntry(SUPPORTED, name); // own keys: `constructor eq "x"` is not an attribute
    if (!attribute) throw new ScimError(400, `Filtering on ${match[1]} is not supported; use userName, externalId, emails.value, displayName or id`, 'invalidFilter');
    return { attribute, value: match[2]!.replace(/\\(.)/g, '$1') };
  });
}
