import { sentences } from '../../src/lib/sentences';
import { MAX_STORED_FAILED_RESPONSE_CHARS, truncateStoredResponse } from '../../src/modules/sso-sessions/acs-limits';
import { SsoSessionEntity } from '../../src/modules/sso-sessions/sso-session.entity';

describe('sentences: the one place messages are joined', () => {
  it('ends each part with exactly one full stop, whether or not it had one', () => {
    expect(sentences('Malformed SAML Response: Configure the IdP to sign the assertion.', 'Session s1 has the details')).toBe('Malformed SAML Response: Configure the IdP to sign the assertion. Session s1 has the details.');
    expect(sentences('No stop', 'Has one.')).toBe('No stop. Has one.');
    expect(sentences('Question?', 'Ellipsis…', 'Bang!')).toBe('Question? Ellipsis… Bang!');
  });

  it('leaves out empty parts and trims', () => {
    expect(sentences('  A  ', null, undefined, false, '', 'B.')).toBe('A. B.');
  });
});

describe('truncateStoredResponse', () => {
  it('holds a failed attempt’s decrypted assertion to the raw response’s bound', () => {
    const session = Object.assign(new SsoSessionEntity(), { samlResponse: 'small', samlResponseTruncated: false, decryptedAssertion: 'x'.repeat(MAX_STORED_FAILED_RESPONSE_CHARS + 10) });
    truncateStoredResponse(session);
    expect(session.samlResponse).toBe('small');
    expect(session.samlResponseTruncated).toBe(false);
    expect(session.decryptedAssertion).toHaveLength(MAX_STORED_FAILED_RESPONSE_CHARS);
  });
});
