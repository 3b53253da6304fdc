import { DASHBOARD_BASE } from '@portico/shared';

/**
 * Who is on the other end of a path, and so which error shape they can read: the WorkOS SDK (REST JSON, or the OAuth
 * error pair on /sso/token), a SCIM client, a GraphQL client, or a person in a browser (an HTML page).
 */
export type RouteFamily = 'graphql' | 'scim' | 'oauth' | 'page' | 'rest';

export function routeFamilyOf(rawPath: string): RouteFamily {
  // Express matches routes case-insensitively and with or without a trailing slash: so must this.
  const path = rawPath.toLowerCase().replace(/(.)\/+$/, '$1');
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (path.startsWith('/scim/')) return 'scim';
  if (path === '/sso/token') return 'oauth';
  if (path === '/sso/profile') return 'rest';
  // /sso/authorize, the ACS and SP metadata are opened by browsers (or an IdP posting through one).
  // The Admin Portal's pages (its SPA, /portal/launch, the test sign-in's landing) are read by people; its API by its SPA.
  if ((path === '/portal' || path.startsWith('/portal/')) && !path.startsWith('/portal/api/') && path !== '/portal/generate_link') return 'page';
  if (path.startsWith('/sso/') || path.startsWith('/test-idp/') || path === '/' || path === DASHBOARD_BASE || path.startsWith(`${DASHBOARD_BASE}/`)) return 'page';
  return 'rest';
}
