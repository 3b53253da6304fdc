import fs from 'node:fs';
import path from 'node:path';
import { SAML_REASONS } from '../../src/auth/saml/saml-error';

const README = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
const LABELS: Record<string, string> = {
  INVALID_ATTRIBUTES: 'Invalid Attributes', INVALID_X509_CERTIFICATE: 'Invalid X509 Certificate', MALFORMED_SAML_RESPONSE: 'Malformed SAML Response',
  PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION: 'Profile Not Allowed Outside Organization', DECRYPTION_FAILED: 'Decryption Failed',
};

describe('the README’s table of SAML failure reasons', () => {
  it('lists every reason of SAML_REASONS, no other, each under the dashboard error the code files it under', () => {
    const table = README.slice(README.indexOf('| reason | dashboard error | what it means |')).split(/\n\s*\n/)[0]!;
    const rows = [...table.matchAll(/^\s*\| `(\w+)` \| ([^|]+?) \| [^|]+ \|$/gm)].map((m) => [m[1]!, m[2]!.trim()]);
    expect(rows.length).toBe(new Set(rows.map(([reason]) => reason)).size);
    const documented = Object.fromEntries(rows);
    expect(documented).toEqual(Object.fromEntries(Object.entries(SAML_REASONS).map(([reason, error]) => [reason, LABELS[error]])));
  });
});
