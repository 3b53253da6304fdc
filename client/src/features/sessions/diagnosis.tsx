import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { Dialog } from '../../components/dialog';
import type { SessionDetailsQuery } from '../../gql/graphql';
import { domainProblems } from '@portico/shared';
import { readError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { AddDomainMutation } from '../organizations/api';
import { SAML_ERROR_LABELS } from '../connections/badges';
import { REASONS } from './reasons';

export { REASONS };

type Session = SessionDetailsQuery['session'];
type Details = Record<string, unknown>;
interface Cert { subject?: string; issuer?: string; fingerprintSha256?: string; validFrom?: string; validTo?: string; notBefore?: string; notAfter?: string; expired?: boolean; raw?: string }


const value = (v: unknown) => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

const present = (v: unknown) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

/** Only the rows the validator filled: a reason without an expected value (not XML, unsigned …) shows none. */
export function ExpectedReceived({ details }: { details: Details }) {
  if (!present(details.expected) && !present(details.received)) return null;
  return (
    <dl className="kv">
      {present(details.expected) && <><dt>Expected</dt><dd className="mono">{value(details.expected)}</dd></>}
      {present(details.received) && <><dt>Received</dt><dd className="mono"><span className="mismatch">{value(details.received)}</span></dd></>}
    </dl>
  );
}

function CertificateCard({ title, cert, compareTo }: { title: string; cert: Cert | null | undefined; compareTo?: string[] }) {
  if (!cert) return <div className="cert"><strong>{title}</strong><span className="muted">None</span></div>;
  const from = cert.validFrom ?? cert.notBefore;
  const to = cert.validTo ?? cert.notAfter;
  const expired = cert.expired ?? (to ? new Date(to).getTime() < Date.now() : false);
  const matches = compareTo && cert.fingerprintSha256 ? compareTo.includes(cert.fingerprintSha256) : undefined;
  return (
    <div className="cert">
      <div className="person"><strong>{title}</strong>{expired && <span className="badge badge-danger">Expired</span>}{matches === true && <span className="badge badge-success">Matches</span>}{matches === false && <span className="badge badge-danger">Different</span>}</div>
      {cert.raw ? <span className="mono subtle">{cert.raw.slice(0, 120)}…</span> : (
        <dl className="kv" style={{ gridTemplateColumns: '110px 1fr' }}>
          <dt>Subject</dt><dd>{cert.subject || '—'}</dd>
          <dt>Issuer</dt><dd>{cert.issuer || '—'}</dd>
          <dt>SHA-256</dt><dd className="mono"><span className={matches === false ? 'mismatch' : matches ? 'match' : undefined}>{cert.fingerprintSha256}</span></dd>
          <dt>Valid</dt><dd>{from ? formatDateTime(from) : '—'} – <span className={expired ? 'mismatch' : undefined}>{to ? formatDateTime(to) : '—'}</span></dd>
        </dl>
      )}
    </div>
  );
}

/** The OAuth/OIDC kinds (OAUTH_PROVIDER_ERROR …) beside SAML's five; PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION is shared. */
export const OAUTH_ERROR_KINDS = new Set(['OAUTH_PROVIDER_ERROR', 'INVALID_ID_TOKEN', 'INVALID_CLAIMS', 'INVALID_STATE']);

/** What the provider said and what the checks found: the provider's error, expected vs received, the claims received. */
export function OAuthFailureDetails({ details }: { details: Details }) {
  const providerError = details.providerError as string | null | undefined;
  const description = details.providerErrorDescription as string | null | undefined;
  return (
    <div className="stack">
      {providerError && (
        <dl className="kv">
          <dt>Provider error</dt><dd className="mono"><span className="mismatch">{providerError}</span></dd>
          {description && <><dt>Description</dt><dd>{description}</dd></>}
        </dl>
      )}
      <ExpectedReceived details={details} />
    </div>
  );
}

function InvalidAttributes({ session, details }: { session: Session; details: Details }) {
  const received = (details.receivedAttributes ?? {}) as Record<string, string | string[]>;
  const mapping = (details.mapping ?? session.connection.attributeMapping) as Record<string, string[]>;
  const missing = (details.missing ?? []) as string[];
  const labels: Record<string, string> = { idpId: 'User ID (idp_id)', email: 'Email', firstName: 'First name', lastName: 'Last name', groups: 'Groups' };
  return (
    <div className="stack">
      {missing.length > 0 && <div className="alert alert-danger" role="status">Missing: {missing.map((m) => `${labels[m] ?? m} (${(mapping[m] ?? []).join(' or ')})`).join('; ')}</div>}
      <div>
        <h3 className="label" style={{ marginBottom: 8 }}>Mapping applied</h3>
        <table className="table">
          <thead><tr><th scope="col">Profile field</th><th scope="col">Read from (first present wins)</th><th scope="col">Found</th></tr></thead>
          <tbody>
            {Object.keys(labels).map((field) => (
              <tr key={field} className={missing.includes(field) ? 'missing-row' : undefined}>
                <td>{labels[field]}</td>
                <td className="mono">{(mapping[field] ?? []).join(', ')}</td>
                <td>{missing.includes(field) ? <strong>Missing</strong> : field === 'groups' ? 'optional' : 'Yes'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        <h3 className="label" style={{ marginBottom: 8 }}>Attributes the identity provider sent</h3>
        {Object.keys(received).length ? (
          <table className="table">
            <thead><tr><th scope="col">Attribute</th><th scope="col">Value</th></tr></thead>
            <tbody>{Object.entries(received).map(([name, v]) => <tr key={name}><td className="mono">{name}</td><td className="mono">{value(v)}</td></tr>)}</tbody>
          </table>
        ) : <p className="muted">No attributes at all: the IdP sends only the NameID.</p>}
      </div>
    </div>
  );
}

function InvalidCertificate({ session, details }: { session: Session; details: Details }) {
  const receivedCert = details.receivedCertificate as Cert | undefined;
  const uploaded = ((details.configuredCertificates as Cert[] | undefined) ?? session.connection.certificates) as Cert[];
  const uploadedFingerprints = uploaded.map((c) => c.fingerprintSha256!).filter(Boolean);
  return (
    <div className="diff">
      <CertificateCard title="In the response (<X509Certificate>)" cert={receivedCert} compareTo={uploadedFingerprints} />
      <div>{uploaded.map((c, i) => <CertificateCard key={c.fingerprintSha256 ?? i} title={`Uploaded to the connection${uploaded.length > 1 ? ` (${i + 1})` : ''}`} cert={c} />)}</div>
    </div>
  );
}

function ProfileNotAllowed({ session, details, canManage }: { session: Session; details: Details; canManage: boolean }) {
  const domain = String(details.domain ?? '');
  const allowlist = (details.allowlist ?? []) as string[];
  const [confirming, setConfirming] = useState(false);
  const [add, state] = useMutation(AddDomainMutation);
  const org = session.connection.organization;
  // A public mailbox domain (gmail.com …) can't be an organization's: say so instead of offering to add it.
  const notAddable = domain ? domainProblems(domain)[0]?.message : undefined;
  const failure = readError(state.error);
  return (
    <div className="stack">
      <dl className="kv">
        <dt>User’s domain</dt><dd><span className="mismatch mono">{domain}</span></dd>
        <dt>{org.name}’s domains</dt><dd className="mono">{allowlist.length ? allowlist.join(', ') : 'none'}</dd>
      </dl>
      {notAddable && <div className="alert alert-info" role="note">{notAddable} Allow profiles outside the organization if {org.name}’s users sign in with personal addresses.</div>}
      {state.data ? <div className="alert alert-success" role="status">{domain} is now one of {org.name}’s domains. Ask the user to sign in again.</div> : canManage && domain && !notAddable && (
        <div><button className="btn btn-primary" type="button" onClick={() => setConfirming(true)}>Add {domain} to {org.name}</button></div>
      )}
      <Dialog open={confirming} title={`Add ${domain} to ${org.name}?`} description={`Every user with an @${domain} email will be able to sign in through ${org.name}’s connections. Only do this if ${org.name} owns ${domain}.`} onClose={() => setConfirming(false)}
        footer={<><button className="btn" type="button" onClick={() => setConfirming(false)}>Cancel</button><button className="btn btn-primary" type="button" disabled={state.loading} onClick={async () => {
          const result = await add({ variables: { organizationId: org.id, domain } }).catch(() => null);
          if (result?.data) setConfirming(false);
        }}>{state.loading ? 'Adding…' : 'Add domain'}</button></>}>
        {failure && <div className="alert alert-danger" role="alert">{Object.values(failure.fields).join(' ') || failure.message}</div>}
      </Dialog>
    </div>
  );
}

function DecryptionFailed({ session, details }: { session: Session; details: Details }) {
  const sp = session.connection.spEncryptionCertificate as Cert | null;
  const encryptedTo = details.encryptedToCertificate as Cert | null | undefined;
  return (
    <div className="stack">
      {!sp && <div className="alert alert-danger" role="status">The connection has no SP encryption key, but the IdP encrypts its assertions. Generate a key pair on the connection and give the IdP its certificate, or turn encryption off in the IdP.</div>}
      <div className="diff">
        <CertificateCard title="The IdP encrypted to (KeyInfo)" cert={encryptedTo ?? null} compareTo={sp?.fingerprintSha256 ? [sp.fingerprintSha256] : []} />
        <CertificateCard title="The connection’s SP certificate" cert={sp} />
      </div>
      {!encryptedTo && <p className="muted">The response does not say which certificate it was encrypted to.</p>}
    </div>
  );
}

function Malformed({ details }: { details: Details }) {
  const times = details.notBefore !== undefined || details.notOnOrAfter !== undefined || details.subjectNotOnOrAfter !== undefined;
  return (
    <div className="stack">
      <ExpectedReceived details={details} />
      {times && (
        <dl className="kv">
          <dt>Portico’s time</dt><dd className="mono">{value(details.now ?? details.received)}</dd>
          {details.notBefore !== undefined && <><dt>Valid from</dt><dd className="mono">{value(details.notBefore)}</dd></>}
          {details.notOnOrAfter !== undefined && <><dt>Valid until</dt><dd className="mono">{value(details.notOnOrAfter)}</dd></>}
          {details.subjectNotOnOrAfter !== undefined && <><dt>Subject valid until</dt><dd className="mono">{value(details.subjectNotOnOrAfter)}</dd></>}
          <dt>Clock skew allowed</dt><dd>{value(details.clockSkewSeconds)} s</dd>
        </dl>
      )}
      {typeof details.cause === 'string' && <p className="subtle">Technical detail: <span className="mono">{details.cause}</span></p>}
    </div>
  );
}

export function Diagnosis({ session, canManage }: { session: Session; canManage: boolean }) {
  const details = (session.errorDetails ?? {}) as Details;
  const reason = session.errorReason ? REASONS[session.errorReason] : undefined;
  const fixer = session.error && OAUTH_ERROR_KINDS.has(session.error) ? 'Your team, in the OIDC connection’s settings and the identity provider’s console; or the user, for a declined consent.' : session.error === 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION' ? 'Your team (the organization’s domains), or the IT admin if the user should not sign in here.' : 'The organization’s IT admin, in the identity provider.';
  return (
    <section className="card" aria-labelledby="diagnosis-title">
      <div className="card-header">
        <div>
          <h2 id="diagnosis-title">{reason?.title ?? 'Sign-in failed'}</h2>
          <p>{[session.error ? SAML_ERROR_LABELS[session.error] : null, session.errorMessage !== reason?.title ? session.errorMessage : null].filter(Boolean).join(' · ')}</p>
        </div>
      </div>
      <div className="card-body stack">
        <div className="alert alert-info"><div><strong>How to fix it.</strong> {reason?.fix ?? 'See the details below.'}<div className="subtle">Who: {fixer}</div></div></div>
        {session.error === 'INVALID_ATTRIBUTES' && <InvalidAttributes session={session} details={details} />}
        {session.error === 'INVALID_X509_CERTIFICATE' && <InvalidCertificate session={session} details={details} />}
        {session.error === 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION' && <ProfileNotAllowed session={session} details={details} canManage={canManage} />}
        {session.error === 'DECRYPTION_FAILED' && <DecryptionFailed session={session} details={details} />}
        {(session.error === 'MALFORMED_SAML_RESPONSE' || !session.error) && <Malformed details={details} />}
        {session.error && OAUTH_ERROR_KINDS.has(session.error) && <OAuthFailureDetails details={details} />}
      </div>
    </section>
  );
}
