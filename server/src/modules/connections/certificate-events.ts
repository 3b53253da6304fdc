import type { DataSource } from 'typeorm';
import { parseCertificate } from '../../auth/saml';
import { recordEvents, type NewEvent } from '../events/events.service';
import type { SsoConnectionEntity } from './connection.entity';

/** Days before an IdP certificate expires at which `connection.saml_certificate_renewal_required` is sent, once each. */
export const RENEWAL_NOTICE_DAYS = [30, 7] as const;

const connectionSummary = (c: SsoConnectionEntity) => ({ object: 'connection', id: c.id, organization_id: c.organizationId, connection_type: c.connectionType, name: c.name, state: c.state });

function certificateOf(pem: string) {
  const cert = parseCertificate(pem);
  return { fingerprint: cert.fingerprint256, expiresAt: new Date(cert.validTo) };
}

/** `connection.saml_certificate_renewed` for each certificate the update added (a rotation at the IdP). */
export function certificateRenewedEvents(before: SsoConnectionEntity, after: SsoConnectionEntity, now = new Date()): NewEvent[] {
  const old = new Set(before.idpCertificates.map((pem) => certificateOf(pem).fingerprint));
  if (!old.size) return [];
  return after.idpCertificates
    .map(certificateOf)
    .filter((c) => !old.has(c.fingerprint))
    .map((c) => ({
      environmentId: after.environmentId, organizationId: after.organizationId, event: 'connection.saml_certificate_renewed',
      data: { connection: connectionSummary(after), certificate: { certificate_type: 'ResponseSigning', expiry_date: c.expiresAt.toISOString() }, renewed_at: now.toISOString() },
    }));
}

/**
 * Scheduled (housekeeping): for every active or validating connection whose newest IdP certificate expires within
 * 30 or 7 days, one `connection.saml_certificate_renewal_required` per certificate and threshold, ever; the notice
 * row and the event are written together.
 */
export async function recordCertificateRenewalNotices(db: DataSource, now = new Date(), onlyConnectionId?: string): Promise<void> {
  const connections: SsoConnectionEntity[] = await db.query(
    `SELECT id, environment_id AS "environmentId", organization_id AS "organizationId", connection_type AS "connectionType", name, state, idp_certificates AS "idpCertificates"
     FROM connections WHERE state IN ('active', 'validating') AND jsonb_array_length(idp_certificates) > 0 AND ($1::text IS NULL OR id = $1)`,
    [onlyConnectionId ?? null],
  );
  for (const connection of connections) {
    let certs: Array<{ fingerprint: string; expiresAt: Date }>;
    try {
      certs = connection.idpCertificates.map(certificateOf);
    } catch {
      continue;
    }
    // During a rotation the connection holds the old and the new certificate: only the one that lasts longest counts.
    const newest = certs.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a));
    const daysLeft = (newest.expiresAt.getTime() - now.getTime()) / 86_400_000;
    const due = RENEWAL_NOTICE_DAYS.filter((d) => daysLeft <= d && daysLeft > -1);
    for (const days of due) {
      await db.transaction(async (m) => {
        const claimed = await m.query(
          'INSERT INTO certificate_expiry_notices (connection_id, certificate_fingerprint, days_before) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
          [connection.id, newest.fingerprint, days],
        );
        if (!claimed.length) return;
        await recordEvents(m, [{
          environmentId: connection.environmentId, organizationId: connection.organizationId, event: 'connection.saml_certificate_renewal_required',
          data: { connection: connectionSummary(connection), certificate: { certificate_type: 'ResponseSigning', expiry_date: newest.expiresAt.toISOString() }, days_until_expiry: Math.max(0, Math.floor(daysLeft)) },
        }]);
      });
    }
  }
}
