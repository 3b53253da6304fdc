import { Link, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { useCan } from '../../app/viewer-context';
import { ErrorState, Loading } from '../../components/states';
import { XmlView } from '../../components/xml-view';
import type { SessionDetailsQuery } from '../../gql/graphql';
import { SessionQuery } from '../connections/api';
import { SAML_ERROR_LABELS } from '../connections/badges';
import { Diagnosis } from './diagnosis';
import { OAuthExchange } from './oauth-exchange';
import { SessionHeading, SessionSummary } from './session-parts';
import { TimelineSteps, type TimelineStep } from './timeline-steps';

type Session = SessionDetailsQuery['session'];

function Timeline({ s }: { s: Session }) {
  const steps: TimelineStep[] = [
    { label: s.origin === 'SP' ? 'Started: the app sent the user to the identity provider' : 'Started: the identity provider sent a response on its own (IdP-initiated)', at: s.startedAt, tone: 'done' },
  ];
  if (s.state === 'STARTED') {
    steps.push(s.timedOut
      ? { label: 'Timed out: no response from the identity provider after 5 minutes', at: null, tone: 'failed', note: 'The user may have given up at the IdP, or the IdP posts to another ACS URL.' }
      : { label: 'Waiting for the identity provider’s response', at: null, tone: 'pending' });
  }
  if (s.authorizedAt) steps.push({ label: 'Authorized: the response was valid and a code was sent to the app', at: s.authorizedAt, tone: 'done' });
  if (s.state === 'AUTHORIZED') steps.push({ label: 'Waiting for the app to exchange the code (codes live 10 minutes)', at: null, tone: 'pending' });
  if (s.succeededAt) steps.push({ label: 'Successful: the app exchanged the code for the profile', at: s.succeededAt, tone: 'done' });
  if (s.failedAt) steps.push({ label: `Failed: ${s.error ? SAML_ERROR_LABELS[s.error] : 'the sign-in could not complete'}`, at: s.failedAt, tone: 'failed' });
  return <TimelineSteps steps={steps} />;
}

/** A certificate by its fingerprint: which of the connection's it is (current, next, or one no longer on the connection). */
function KeyName({ fingerprint, known }: { fingerprint: string; known: { label: string; fingerprint?: string | null }[] }) {
  const match = known.find((k) => k.fingerprint === fingerprint);
  return (
    <span>
      {match ? <strong>{match.label}</strong> : <span className="muted">A certificate no longer on the connection</span>}
      <span className="mono subtle" style={{ display: 'block', overflowWrap: 'anywhere' }}>SHA-256 {fingerprint}</span>
    </span>
  );
}

export function SessionPage() {
  const { id = '' } = useParams();
  const canManage = useCan('organizations:manage');
  const canReadDecrypted = useCan('sessions:decrypted-assertions');
  const { data, loading, error, refetch } = useQuery(SessionQuery, { variables: { id, withDecryptedAssertion: canReadDecrypted } });
  if (loading && !data) return <div className="page"><Loading label="Loading session…" /></div>;
  if (error && !data) return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /></div>;
  const s = data!.session;
  const c = s.connection;
  const idpKeys = c.certificates.map((cert, i) => ({ label: c.certificates.length > 1 ? `IdP certificate ${i + 1} of ${c.certificates.length} (${cert.subject})` : `IdP certificate (${cert.subject})`, fingerprint: cert.fingerprintSha256 }));
  const spKeys = [
    { label: 'Current SP encryption key', fingerprint: c.spEncryptionCertificate?.fingerprintSha256 },
    { label: 'Next SP encryption key (rollover)', fingerprint: c.spNextEncryptionCertificate?.fingerprintSha256 },
  ];
  const title = s.state === 'FAILED' ? 'Failed sign-in' : s.state === 'SUCCESSFUL' ? 'Successful sign-in' : s.state === 'AUTHORIZED' ? 'Authorized sign-in' : s.timedOut ? 'Timed-out sign-in' : 'Sign-in in progress';
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/organizations">Organizations</Link><span aria-hidden="true">/</span>
        <Link to={`/organizations/${c.organization.id}`}>{c.organization.name}</Link><span aria-hidden="true">/</span>
        <Link to={`/connections/${c.id}/sessions`}>{c.name} sessions</Link><span aria-hidden="true">/</span>
        <span aria-current="page">{s.id}</span>
      </nav>
      <SessionHeading title={title} session={s} />
      {s.state === 'FAILED' && <Diagnosis session={s} canManage={canManage} />}
      <SessionSummary timeline={<Timeline s={s} />} rows={<>
        <dt>Email</dt><dd>{s.email ?? <span className="muted">Not known</span>}</dd>
        <dt>Name</dt><dd>{[s.firstName, s.lastName].filter(Boolean).join(' ') || <span className="muted">Not known</span>}</dd>
        <dt>IdP user ID</dt><dd className="mono">{s.idpId ?? <span className="muted">Not known</span>}</dd>
        <dt>Returns to</dt><dd className="mono">{s.redirectUri ?? <span className="muted">No redirect URI</span>}</dd>
        {s.idpCertificateFingerprint && <><dt>Signed with</dt><dd><KeyName fingerprint={s.idpCertificateFingerprint} known={idpKeys} /></dd></>}
        {s.spKeyFingerprint && <><dt>Decrypted with</dt><dd><KeyName fingerprint={s.spKeyFingerprint} known={spKeys} /></dd></>}
      </>} />
      {/* An OIDC connection's attempt carries its raw exchange instead of SAML messages. */}
      {s.oauthExchange ? <OAuthExchange exchange={s.oauthExchange as Record<string, unknown>} state={s.state} /> : <>
      {s.origin === 'SP' && (s.samlRequest
        ? <XmlView title="SAML Request" xml={s.samlRequest} fileName={`${s.id}-request.xml`} description="The AuthnRequest Portico sent to the identity provider." />
        : <section className="card"><div className="card-body muted">The raw SAML request is no longer kept (retention period).</div></section>)}
      {s.samlResponse
        ? <XmlView title="SAML Response" xml={s.samlResponse} fileName={`${s.id}-response.xml`} description={s.samlResponseTruncated
          ? <><strong>Truncated:</strong> only the first {kilobytes(s.samlResponse.length)} of the {kilobytes(s.samlResponseBytes ?? 0)} received are kept (a failed attempt keeps at most 64 KB of its response).</>
          : 'As the identity provider posted it, decoded.'} />
        : <section className="card"><div className="card-body muted">{s.state === 'STARTED' ? 'No response from the identity provider yet.' : 'The raw SAML response is no longer kept (retention period).'}</div></section>}
      </>}
      {!canReadDecrypted && s.spKeyFingerprint && (
        <section className="card" aria-labelledby="decrypted-title">
          <div className="card-header"><h2 id="decrypted-title">Decrypted assertion</h2></div>
          <div className="card-body muted">The identity provider encrypted this assertion for the application alone. Its decrypted form is shown to Admins and Developers; your role sees the encrypted response above, the error and the user.</div>
        </section>
      )}
      {s.decryptedAssertion && (
        <XmlView title="Decrypted assertion" xml={s.decryptedAssertion} fileName={`${s.id}-decrypted-assertion.xml`}
          description="The response carried an encrypted assertion; this is what Portico decrypted with the connection’s SP key. Kept like the raw response, and as confidential: it holds the user’s attributes." />
      )}
    </div>
  );
}

const kilobytes = (n: number) => `${Math.max(1, Math.round(n / 1024)).toLocaleString('en-US')} KB`;
