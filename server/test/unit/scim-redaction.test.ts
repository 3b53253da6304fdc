import { namesPassword, redactPasswords, redactPasswordsInText, withoutPasswords } from '../../src/modules/directories/scim-redaction';

describe('SCIM password redaction', () => {
  it.each([
    ['password', true], ['Password', true], ['PASSWORD', true], ['urn:ietf:params:scim:schemas:core:2.0:User:password', true], ['name.password', true],
    ['passwordHint', false], ['emails[type eq "password"].value', false], ['displayName', false],
  ])('namesPassword(%s) = %s', (key, expected) => {
    expect(namesPassword(key)).toBe(expected);
  });

  it('drops password keys at any depth from stored data, and redacts them (and PATCH values) in log bodies', () => {
    const body = { userName: 'a', Password: 'p1', ext: { credentials: [{ password: 'p2' }] }, Operations: [{ op: 'replace', path: 'password', value: 'p3' }] };
    expect(JSON.stringify(withoutPasswords(body))).not.toMatch(/p1|p2|p3/);
    expect(redactPasswords(body)).toEqual({ userName: 'a', Password: '[redacted]', ext: { credentials: [{ password: '[redacted]' }] }, Operations: [{ op: 'replace', path: 'password', value: '[redacted]' }] });
  });

  it('redacts a JSON response body as text, and leaves other text alone', () => {
    expect(redactPasswordsInText('{"detail":"bad","password":"p4"}')).toBe('{"detail":"bad","password":"[redacted]"}');
    expect(redactPasswordsInText('not json')).toBe('not json');
  });
});
