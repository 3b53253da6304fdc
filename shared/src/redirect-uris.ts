import type { EnvironmentKind } from './enums';
import type { FieldError } from './error-codes';

/**
 * Redirect URI rules (WorkOS contract §6.4). The same functions run in the dashboard, so a rejected URI is
 * explained before it is sent, and on the server, which is the one that decides.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Public suffixes a wildcard may not sit directly under; a short list of the common multi-label ones. */
const PUBLIC_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.nz', 'co.jp', 'ne.jp', 'com.br', 'com.cn', 'co.in',
  'co.za', 'com.mx', 'com.tr', 'co.kr', 'github.io', 'gitlab.io', 'herokuapp.com', 'vercel.app', 'netlify.app', 'pages.dev',
  'workers.dev', 'azurewebsites.net', 'cloudfront.net', 'appspot.com', 'web.app', 'firebaseapp.com', 'fly.dev', 'onrender.com',
]);
const LABEL = /^[a-z0-9_-]+$/i;
const WILDCARD_LABEL = /^[a-z0-9_-]*\*[a-z0-9_-]*$/i;

interface ParsedUri {
  scheme: 'http' | 'https';
  host: string;
  port: string | null;
  /** Path, query and nothing else. */
  rest: string;
}

function parse(uri: string): ParsedUri | null {
  const match = /^(https?):\/\/(\[[0-9a-f:.]+\]|[^/?#:[\]]+)(?::(\d{1,5}|\*))?([/?][^#]*)?$/i.exec(uri);
  if (!match) return null;
  return { scheme: match[1]!.toLowerCase() as 'http' | 'https', host: match[2]!.toLowerCase(), port: match[3] ?? null, rest: match[4] ?? '/' };
}

function problem(code: string, message: string): FieldError[] {
  return [{ field: 'uri', code, message }];
}

/** Why a redirect URI can't be added to an environment (or made its default); empty when it can. */
export function redirectUriProblems(uri: string, environment: EnvironmentKind, opts: { isDefault?: boolean } = {}): FieldError[] {
  const trimmed = uri.trim();
  if (!trimmed) return problem('required', 'Enter a URL.');
  if (trimmed.length > 2000) return problem('too_long', 'Use at most 2,000 characters.');
  if (trimmed.includes('#')) return problem('fragment', 'A redirect URI cannot have a #fragment.');
  const parsed = parse(trimmed);
  if (!parsed) return problem('invalid_url', 'Enter an absolute http:// or https:// URL, e.g. https://app.example.com/callback.');
  const { scheme, host, port } = parsed;
  const loopback = LOOPBACK_HOSTS.has(host);
  const wildcards = (trimmed.match(/\*/g) ?? []).length - (port === '*' ? 1 : 0);

  if (environment === 'PRODUCTION' && scheme === 'http' && host !== '127.0.0.1') {
    return problem('https_required', 'Production redirect URIs must use https://. Only http://127.0.0.1 is allowed, for native apps.');
  }
  if (port === '*' && !loopback) return problem('port_wildcard_not_loopback', 'A port wildcard (:*) is only allowed for localhost and loopback addresses.');
  if (port !== null && port !== '*' && Number(port) > 65535) return problem('invalid_port', 'The port must be between 1 and 65535.');
  if (parsed.rest.includes('*')) return problem('wildcard_in_path', 'A wildcard is only allowed in the left-most part of the host name.');
  if (wildcards > 1) return problem('multiple_wildcards', 'Use at most one wildcard.');
  if (wildcards === 1) {
    const [first, ...others] = host.split('.');
    if (!WILDCARD_LABEL.test(first!) || others.some((label) => label.includes('*'))) {
      return problem('wildcard_not_leftmost', 'A wildcard is only allowed in the left-most part of the host name, e.g. https://*.example.com/callback.');
    }
    if (scheme === 'http' && environment === 'PRODUCTION') return problem('wildcard_http', 'A wildcard is not allowed with http:// in Production.');
    const parent = others.join('.');
    if (others.length < 2 || PUBLIC_SUFFIXES.has(parent)) {
      return problem('wildcard_public_suffix', `A wildcard can't cover every site under ${parent || 'a top-level domain'}: put it under a domain you own.`);
    }
    if (opts.isDefault) return problem('wildcard_default', 'A wildcard URI cannot be the default redirect URI.');
  } else if (!host.startsWith('[') && !host.split('.').every((label) => LABEL.test(label))) {
    return problem('invalid_host', 'The host name may contain letters, digits, hyphens and dots only.');
  }
  if (opts.isDefault && port === '*') return problem('wildcard_default', 'A wildcard URI cannot be the default redirect URI.');
  return [];
}

/** True when `candidate` (a concrete URL from an authorize request) is allowed by the configured `pattern`. */
export function matchesRedirectUri(pattern: string, candidate: string): boolean {
  if (pattern === candidate) return true;
  if (!pattern.includes('*')) return false;
  const p = parse(pattern);
  const c = parse(candidate);
  if (!p || !c || c.host.includes('*') || c.port === '*') return false;
  if (p.scheme !== c.scheme || p.rest !== c.rest) return false;
  if (p.port === '*') {
    if (!LOOPBACK_HOSTS.has(c.host)) return false;
  } else if (p.port !== c.port) {
    return false;
  }
  if (!p.host.includes('*')) return p.host === c.host;
  const [pFirst, ...pOthers] = p.host.split('.');
  const [cFirst, ...cOthers] = c.host.split('.');
  if (pOthers.join('.') !== cOthers.join('.') || !LABEL.test(cFirst!)) return false;
  const [prefix, suffix] = pFirst!.split('*') as [string, string];
  // the wildcard stands for one or more characters of a single label
  return cFirst!.length > prefix.length + suffix.length && cFirst!.startsWith(prefix) && cFirst!.endsWith(suffix);
}
