import { Link, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { useCan } from '../../app/viewer-context';
import { CopyButton } from '../../components/copy-button';
import { ErrorState, Loading } from '../../components/states';
import { SessionQuery } from '../connections/api';
import { SessionStateBadge } from '../connections/badges';
import { Diagnosis } from '../sessions/diagnosis';

/**
 * Where a test sign-in ends: the profile the app would receive, or the failure with its diagnosis. Read through the
 * ordinary session query, so only members of the workspace that owns the session see it.
 */
export function TestSignInResultPage() {
  const { id = '' } = useParams();
  const canManage = useCan('organizations:manage');
  const withDecryptedAssertion = useCan('sessions:decrypted-assertions');
  const { data, loading, error, refetch } = useQuery(SessionQuery, { variables: { id, withDecryptedAssertion } });
  if (loading && !data) return <div className="page"><Loading label="Loading the test sign-in…" /></div>;
  if (error && !data) return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /></div>;
  const s = data!.session;
  const c = s.connection;
  const waiting = s.state === 'STARTED';
  const title = s.state === 'FAILED' ? 'Test sign-in failed' : waiting ? (s.timedOut ? 'Test sign-in timed out' : 'Test sign-in in progress') : 'Test sign-in succeeded';
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={`/organizations/${c.organization.id}`}>{c.organization.name}</Link><span aria-hidden="true">/</span>
        <Link to={`/connections/${c.id}`}>{c.name}</Link><span aria-hidden="true">/</span>
        <span aria-current="page">Test sign-in</span>
      </nav>
      <div className="page-header">
        <div>
          <h1 className="person" data-testid="test-result-title">{title} <SessionStateBadge state={s.state} timedOut={s.timedOut} /></h1>
          <p className="copy-row">Session <code>{s.id}</code><CopyButton value={s.id} label="session ID" /></p>
        </div>
        <div className="copy-row">
          <Link className="btn" to={`/sessions/${s.id}`}>Open session details</Link>
          <Link className="btn" to={`/connections/${c.id}/sessions`}>Sessions tab</Link>
          <a className="btn btn-primary" href={`/dashboard/test-sign-in/start?connection=${encodeURIComponent(c.id)}`}>Test again</a>
        </div>
      </div>
      {!s.testSignIn && <div className="alert alert-info" role="status">This session was not started by Test sign-in: it is an ordinary sign-in of your app.</div>}
      {s.state === 'FAILED' && <Diagnosis session={s} canManage={canManage} />}
      {waiting && <div className="alert alert-info" role="status">{s.timedOut ? 'The identity provider never answered.' : 'Waiting for the identity provider’s response.'} <button className="btn" type="button" onClick={() => refetch()}>Check again</button></div>}
      {s.profile != null && (
        <section className="card" aria-labelledby="profile-title">
          <div className="card-header"><div><h2 id="profile-title">Profile your app would receive</h2><p>What <code>GET /sso/profile</code> returns after the code exchange. No code was sent to your app for this test.</p></div></div>
          <dl className="card-body kv" style={{ gridTemplateColumns: 'minmax(90px, 140px) 1fr' }}>
            <dt>Email</dt><dd>{s.email}</dd>
            <dt>Name</dt><dd>{[s.firstName, s.lastName].filter(Boolean).join(' ')}</dd>
            <dt>IdP user ID</dt><dd className="mono" style={{ overflowWrap: 'anywhere' }}>{s.idpId}</dd>
            <dt>Organization</dt><dd>{c.organization.name} <span className="mono subtle">{c.organization.id}</span></dd>
          </dl>
          <pre className="card-body mono" data-testid="test-result-profile" style={{ margin: 0, overflowX: 'auto', borderTop: '1px solid var(--border)' }}>{JSON.stringify(s.profile, null, 2)}</pre>
        </section>
      )}
    </div>
  );
}
