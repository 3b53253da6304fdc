import { DASHBOARD_BASE } from '@portico/shared';
import type { AppDeps } from '../../context';
import { ValidationError } from '../../errors';
import { isOidcConnectionType } from '../../auth/oidc/claim-mapping';
import { getConnection, isConfigured } from '../connections/connections.service';
import { startOidcConnectionSignIn } from './oidc-connection-flow';
import type { AccessScope } from '../environments/access-scope';
import { beginSpSignIn } from './sso-flow';

/** Where a test sign-in ends, whatever its outcome: the dashboard's result page for its session. */
export const testSignInResultUrl = (publicUrl: string, sessionId: string) => `${publicUrl}${DASHBOARD_BASE}/test-sign-in/${sessionId}`;

/**
 * The dashboard's "Test sign-in": an ordinary SP-initiated sign-in through the connection's real IdP, marked as a
 * test so that it ends on Portico's result page (which only members of the workspace can read) and no code is
 * ever handed to the app's redirect URI.
 */
export async function startTestSignIn(deps: AppDeps, scope: AccessScope, connectionId: string, who: { ip: string; userAgent: string | null; oauthBrowser?: string | null }): Promise<{ sessionId: string; location: string; oauthBrowser?: string }> {
  // tenancy: the connection must be in the caller's scope
  const connection = await getConnection(deps.db, scope, connectionId);
  if (connection.state === 'inactive') throw ValidationError.field('connectionId', 'connection_inactive', 'The connection is turned off: enable it to test a sign-in.');
  if (isOidcConnectionType(connection.connectionType)) {
    if (connection.state === 'draft' || !isConfigured(connection)) {
      throw ValidationError.field('connectionId', 'connection_not_configured', 'Add the IdP’s issuer and endpoints (or its discovery URL), the client ID and the client secret before testing a sign-in.');
    }
    return startOidcConnectionSignIn(deps, connection, {
      redirectUri: (sessionId) => testSignInResultUrl(deps.config.publicUrl, sessionId),
      clientState: null, codeChallenge: null, ip: who.ip, userAgent: who.userAgent, testSignIn: true, browserId: who.oauthBrowser ?? null,
    });
  }
  if (connection.state === 'draft' || !connection.idpSsoUrl || !connection.idpEntityId) {
    throw ValidationError.field('connectionId', 'connection_not_configured', 'Add the IdP’s SSO URL, entity ID and certificate (or its metadata) before testing a sign-in.');
  }
  return beginSpSignIn(deps, connection, {
    redirectUri: (sessionId) => testSignInResultUrl(deps.config.publicUrl, sessionId),
    clientState: null, codeChallenge: null, ip: who.ip, userAgent: who.userAgent, testSignIn: true,
  });
}
