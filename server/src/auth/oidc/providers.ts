/**
 * The four OAuth providers Portico signs users in with, as descriptions: where each lives, what it is asked for, and
 * how its answer becomes a profile. Google, Microsoft and Apple speak OpenID Connect (their discovery documents
 * give the endpoints and JWKS; the ID token is checked by validate-id-token.ts); GitHub speaks plain OAuth 2.0 and
 * its profile comes from its REST API.
 */
export type OAuthProviderName = 'GoogleOAuth' | 'MicrosoftOAuth' | 'GitHubOAuth' | 'AppleOAuth';

export interface ProviderDescription {
  label: string;
  protocol: 'oidc' | 'github';
  scopes: string[];
  /** Apple posts its answer (it sends the user's name that way, on the first sign-in only). */
  responseMode?: 'form_post';
  /** The hint parameter `domain_hint` becomes at the provider (Google calls it `hd`). */
  domainHintParam?: string;
}

export const PROVIDERS: Record<OAuthProviderName, ProviderDescription> = {
  GoogleOAuth: { label: 'Google', protocol: 'oidc', scopes: ['openid', 'email', 'profile'], domainHintParam: 'hd' },
  MicrosoftOAuth: { label: 'Microsoft', protocol: 'oidc', scopes: ['openid', 'email', 'profile'], domainHintParam: 'domain_hint' },
  GitHubOAuth: { label: 'GitHub', protocol: 'github', scopes: ['read:user', 'user:email'] },
  AppleOAuth: { label: 'Apple', protocol: 'oidc', scopes: ['openid', 'name', 'email'], responseMode: 'form_post' },
};

/** The Microsoft tenant setting: who may sign in (a specific tenant is its GUID or a verified domain). */
export const isMicrosoftTenant = (tenant: string) => /^(common|organizations|consumers|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i.test(tenant);

/** The OIDC issuer whose discovery document Portico reads; `base` replaces the real host (tests only). */
export function providerIssuer(provider: Exclude<OAuthProviderName, 'GitHubOAuth'>, opts: { base?: string; microsoftTenant: string }): string {
  switch (provider) {
    case 'GoogleOAuth': return opts.base ?? 'https://accounts.google.com';
    case 'AppleOAuth': return opts.base ?? 'https://appleid.apple.com';
    case 'MicrosoftOAuth': return `${opts.base ?? 'https://login.microsoftonline.com'}/${opts.microsoftTenant}/v2.0`;
  }
}

/** GitHub's endpoints; with `base` (tests only) one server plays github.com and api.github.com. */
export function githubEndpoints(base?: string) {
  return {
    issuer: base ?? 'https://github.com',
    authorizationEndpoint: `${base ?? 'https://github.com'}/login/oauth/authorize`,
    tokenEndpoint: `${base ?? 'https://github.com'}/login/oauth/access_token`,
    api: base ?? 'https://api.github.com',
  };
}

export interface ProviderUser {
  idpId: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** "Ada Lovelace" → Ada / Lovelace, for providers that only send a full name. */
function splitName(name: string | null): { firstName: string | null; lastName: string | null } {
  if (!name) return { firstName: null, lastName: null };
  const space = name.lastIndexOf(' ');
  return space < 0 ? { firstName: name, lastName: null } : { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
}

/** The user an OIDC provider's ID-token claims describe (Apple's name comes from its first-sign-in `user` form field). */
export function userFromClaims(provider: OAuthProviderName, claims: Record<string, unknown>, appleUser?: { name?: { firstName?: string; lastName?: string } }): ProviderUser {
  // Apple sends email_verified as the string "true"; Microsoft's v2 tokens carry no email_verified at all.
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  const name = text(claims.name);
  const split = splitName(name);
  const firstName = text(claims.given_name) ?? text(appleUser?.name?.firstName) ?? split.firstName;
  const lastName = text(claims.family_name) ?? text(appleUser?.name?.lastName) ?? split.lastName;
  if (provider === 'MicrosoftOAuth') {
    // The object ID is stable per user and tenant; `sub` is pairwise per application.
    const email = text(claims.email) ?? (text(claims.preferred_username)?.includes('@') ? text(claims.preferred_username) : null);
    return { idpId: text(claims.oid) ?? String(claims.sub), email, emailVerified: email !== null, firstName, lastName, name };
  }
  return { idpId: String(claims.sub), email: text(claims.email), emailVerified: verified, firstName, lastName, name: name ?? ([firstName, lastName].filter(Boolean).join(' ') || null) };
}

/** GitHub's user and its primary verified email, from GET /user and GET /user/emails. */
export function userFromGitHub(user: Record<string, unknown>, emails: unknown): ProviderUser {
  const list = Array.isArray(emails) ? (emails as { email?: unknown; primary?: unknown; verified?: unknown }[]) : [];
  const primary = list.find((e) => e.primary === true && e.verified === true);
  const name = text(user.name) ?? text(user.login);
  return { idpId: String(user.id), email: text(primary?.email), emailVerified: primary !== undefined, ...splitName(text(user.name)), name };
}
