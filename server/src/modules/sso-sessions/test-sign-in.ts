import { randomBytes } from 'node:crypto';
import { isHttpUrl } from '@portico/shared';
import { createAuthnRequest } from '../../auth/saml';
import type { AppDeps } from '../../context';
import { ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { hashToken } from '../../lib/tokens';
import type { SsoConnectionEntity } from '../connections/connection.entity';
import { spEndpoints } from '../connections/connections.service';
import { SsoSessionEntity } from './sso-session.entity';
import { startSessionWithEvent } from './sso-events';

/**
 * A test sign-in (Admin Portal): an ordinary SP-initiated sign-in, recorded like any other, whose redirect lands on
 * a Portico page (`resultUrl`) instead of the application. The caller has already checked the connection belongs to
 * the portal's organization. The session's client state is its own ID, so the result page finds it again.
 */
export async function startTestSignIn(deps: AppDeps, connection: SsoConnectionEntity, p: { resultUrl: string; ip: string; userAgent: string | null }): Promise<{ sessionId: string; location: string }> {
  if (connection.state === 'inactive') throw ValidationError.field('connection', 'connection_inactive', 'This connection is turned off. Ask the application team to turn it back on, then test again.');
  if (!connection.idpSsoUrl || !connection.idpEntityId || !connection.idpCertificates.length || !isHttpUrl(connection.idpSsoUrl)) {
    throw ValidationError.field('connection', 'not_configured', 'Finish the identity provider details first: SSO URL, entity ID and signing certificate.');
  }
  const sessionId = newId('ssoSession');
  const { acsUrl, spEntityId } = spEndpoints(deps.config.publicUrl, connection.id);
  const request = await createAuthnRequest({
    idpSsoUrl: connection.idpSsoUrl, idpCertificates: connection.idpCertificates, spEntityId, acsUrl,
    requestId: `_${randomBytes(20).toString('hex')}`, relayState: sessionId,
  });
  await startSessionWithEvent(deps.db, Object.assign(new SsoSessionEntity(), {
    id: sessionId, environmentId: connection.environmentId, organizationId: connection.organizationId, connectionId: connection.id, origin: 'SP', state: 'STARTED',
    requestId: request.requestId, redirectUri: p.resultUrl, clientState: sessionId, codeChallenge: null, samlRequest: request.xml, samlResponseTruncated: false,
    ip: p.ip, userAgent: p.userAgent?.slice(0, 512) ?? null, startedAt: new Date(),
  } as const));
  return { sessionId, location: request.redirectUrl };
}

/**
 * The test sign-in's code comes back to Portico, not to an application: it is burnt here (so nothing else can
 * redeem it) and the session marked successful, the profile having been delivered to the portal. False when the
 * code is not this session's or was already used.
 */
export async function redeemTestSignInCode(deps: AppDeps, sessionId: string, code: string, now = new Date()): Promise<boolean> {
  return deps.db.transaction(async (m) => {
    const [, burnt] = (await m.query('UPDATE authorization_codes SET used_at = $3 WHERE code_hash = $1 AND session_id = $2 AND used_at IS NULL AND expires_at > $3', [hashToken(code), sessionId, now])) as [unknown, number];
    if (!burnt) return false;
    await m.query(`UPDATE sso_sessions SET state = 'SUCCESSFUL', succeeded_at = $2 WHERE id = $1 AND state = 'AUTHORIZED'`, [sessionId, now]);
    return true;
  });
}
