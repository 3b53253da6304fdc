import { HttpProblemError } from '../../src/http/edge/http-problem';
import { parseStrictForm } from '../../src/http/edge/text-guard';

// The form parser every browser POST goes through (ACS, the OAuth token endpoint, Apple's form_post, the test IdP).
describe('parseStrictForm', () => {
  it('decodes + and percent-encoding as UTF-8 and keeps names literal', () => {
    expect(parseStrictForm('SAMLResponse=PD94bWw%2B%2F%3D&RelayState=a+b%20c&a%5Bb%5D=1&empty=&flag&caf%C3%A9=%E2%9C%93')).toEqual({
      SAMLResponse: 'PD94bWw+/=', RelayState: 'a b c', 'a[b]': '1', empty: '', flag: '', 'café': '✓',
    });
  });

  it('gives a repeated name every value, in order (handlers take the first)', () => {
    expect(parseStrictForm('code=1&code=2&code=3')).toEqual({ code: ['1', '2', '3'] });
  });

  it('makes __proto__ an own field, never the object’s prototype', () => {
    const body = parseStrictForm('__proto__=x&constructor=y') as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.keys(body)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    ['SAMLResponse=%E0%A4%A', 'form field "SAMLResponse" is not valid percent-encoded UTF-8'],
    ['SAMLResponse=%ED%A0%80', 'form field "SAMLResponse" is not valid percent-encoded UTF-8'],
    ['code=%00', 'form field "code" contains a NUL character'],
    ['x%00=1', 'the form field name "x\\u0000" contains a NUL character'],
    ['%ZZ=1', 'a form field name is not valid percent-encoded UTF-8'],
  ])('refuses %s', (raw, message) => {
    const result = parseStrictForm(raw);
    expect(result).toBeInstanceOf(HttpProblemError);
    expect((result as HttpProblemError).problem.message).toBe(message);
  });

  it('refuses more than 1,000 fields before decoding any', () => {
    expect(parseStrictForm(Array.from({ length: 1000 }, (_, i) => `f${i}=1`).join('&'))).not.toBeInstanceOf(HttpProblemError);
    const result = parseStrictForm(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&'));
    expect((result as HttpProblemError).problem).toMatchObject({ status: 413, code: 'too_many_parameters' });
  });
});
