import { matchesRedirectUri, redirectUriProblems } from '@portico/shared';

const code = (uri: string, env: 'STAGING' | 'PRODUCTION', isDefault = false) => redirectUriProblems(uri, env, { isDefault })[0]?.code ?? 'ok';

describe('redirect URI rules (contract §6.4)', () => {
  it.each([
    ['https://app.example.com/callback', 'PRODUCTION', 'ok'],
    ['http://app.example.com/callback', 'PRODUCTION', 'https_required'],
    ['http://127.0.0.1:3000/cb', 'PRODUCTION', 'ok'],
    ['http://localhost:3000/cb', 'PRODUCTION', 'https_required'],
    ['http://localhost:3000/cb', 'STAGING', 'ok'],
    ['https://*.example.com/cb', 'PRODUCTION', 'ok'],
    ['https://pre-*-suf.example.com/cb', 'PRODUCTION', 'ok'],
    ['http://*.example.com/cb', 'PRODUCTION', 'https_required'],
    ['http://*.example.com/cb', 'STAGING', 'ok'],
    ['https://app.*.example.com/cb', 'STAGING', 'wildcard_not_leftmost'],
    ['https://*.*.example.com/cb', 'STAGING', 'multiple_wildcards'],
    ['https://*.com/cb', 'STAGING', 'wildcard_public_suffix'],
    ['https://*.co.uk/cb', 'STAGING', 'wildcard_public_suffix'],
    ['https://*.github.io/cb', 'STAGING', 'wildcard_public_suffix'],
    ['https://example.com/*/cb', 'STAGING', 'wildcard_in_path'],
    ['http://localhost:*/cb', 'STAGING', 'ok'],
    ['https://app.example.com:*/cb', 'STAGING', 'port_wildcard_not_loopback'],
    ['https://app.example.com/cb#frag', 'STAGING', 'fragment'],
    ['javascript:alert(1)', 'STAGING', 'invalid_url'],
    ['app.example.com/cb', 'STAGING', 'invalid_url'],
    ['', 'STAGING', 'required'],
  ] as const)('%s in %s → %s', (uri, env, expected) => {
    expect(code(uri, env)).toBe(expected);
  });

  it('never lets a wildcard be the default', () => {
    expect(code('https://*.example.com/cb', 'STAGING', true)).toBe('wildcard_default');
    expect(code('http://localhost:*/cb', 'STAGING', true)).toBe('wildcard_default');
    expect(code('https://app.example.com/cb', 'STAGING', true)).toBe('ok');
  });

  it('matches a wildcard label with one label of letters, digits, - and _ only', () => {
    expect(matchesRedirectUri('https://*.example.com/cb', 'https://tenant-1.example.com/cb')).toBe(true);
    expect(matchesRedirectUri('https://*.example.com/cb', 'https://a.b.example.com/cb')).toBe(false);
    expect(matchesRedirectUri('https://*.example.com/cb', 'https://example.com/cb')).toBe(false);
    expect(matchesRedirectUri('https://*.example.com/cb', 'https://x.example.com/cb/../evil')).toBe(false);
    expect(matchesRedirectUri('https://*.example.com/cb', 'https://x.example.com.evil.com/cb')).toBe(false);
    expect(matchesRedirectUri('https://*.example.com/cb', 'http://x.example.com/cb')).toBe(false);
    expect(matchesRedirectUri('https://pre-*.example.com/cb', 'https://pre-.example.com/cb')).toBe(false);
    expect(matchesRedirectUri('https://pre-*.example.com/cb', 'https://pre-42.example.com/cb')).toBe(true);
    expect(matchesRedirectUri('http://localhost:*/cb', 'http://localhost:51234/cb')).toBe(true);
    expect(matchesRedirectUri('http://localhost:*/cb', 'http://localhost:51234/other')).toBe(false);
    expect(matchesRedirectUri('https://app.example.com/cb', 'https://app.example.com/cb?x=1')).toBe(false);
  });
});
