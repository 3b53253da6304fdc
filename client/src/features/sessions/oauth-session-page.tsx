import { Link, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ErrorState, Loading } from '../../components/states';
import type { OAuthSessionDetailsQuery } from '../../gql/graphql';
import { SAML_ERROR_LABELS } from '../connections/badges';
import { OAuthSessionQuery } from './api';
import { OAuthDiagnosis } from './oauth-diagnosis';
import { OAuthExchange } from './oauth-exchange';
import { SessionHeading, SessionSummary } from './session-parts';
import { TimelineSteps, type TimelineStep } from './timeline-steps';

type Session = OAuthSessionDetailsQuery['oauthSession'];

export const PROVIDER_NAMES: Record<string, string> = { GoogleOAuth: 'Google', MicrosoftOAuth: 'Microsoft', GitHubOAuth: 'GitHub', AppleOAuth: 'Apple' };
export const providerName = (provider: string) => PROVIDER_NAMES[provider] ?? provider;

function Timeline({ s }: { s: Session }) {
  const name = providerName(s.provider);
  const steps: TimelineStep[] = [{ label: `Started: the app sent the user to ${name}`, at: s.startedAt, tone: 'done' }];
  if (s.state === 'STARTED') {
    steps.push(s.timedOut
      ? { label: `Timed out: the user did not come back from ${name} within 5 minutes`, at: null, tone: 'failed', note: 'The user may have given up at the provider’s sign-in or consent screen.' }
      : { label: `Waiting for the user to come back from ${name}`, at: null, tone: 'pending' });
  }
  if (s.authorizedAt) steps.push({ label: `Authorized: ${name} vouched for the user and a code was sent to the app`, at: s.authorizedAt, tone: 'done' });
  if (s.state === 'AUTHORIZED') steps.push({ label: 'Waiting for the app to exchange the code (codes live 10 minutes)', at: null, tone: 'pending' });
  if (s.succeededAt) steps.push({ label: 'Successful: the app exchanged the code for the profile and tokens', at: s.succeededAt, tone: 'done' });
  if (s.failedAt) steps.push({ label: `Failed: ${s.error ? SAML_ERROR_LABELS[s.error] : 'the sign-in could not complete'}`, at: s.failedAt, tone: 'failed' });
  return <TimelineSteps steps={steps} />;
}

/** Session Details for a sign-in through an OAuth provider (Google, Microsoft, GitHub, Apple). */
export function OAuthSessionPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(OAuthSessionQuery, { variables: { id } });
  if (loading && !data) return <div className="page"><Loading label="Loading session…" /></div>;
  if (error && !data) return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /></div>;
  const s = data!.oauthSession;
  const name = providerName(s.provider);
  const title = s.state === 'FAILED' ? `Failed sign-in with ${name}` : s.state === 'SUCCESSFUL' ? `Successful sign-in with ${name}` : s.state === 'AUTHORIZED' ? `Authorized sign-in with ${name}` : s.timedOut ? `Timed-out sign-in with ${name}` : `Sign-in with ${name} in progress`;
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/configuration/oauth">OAuth providers</Link><span aria-hidden="true">/</span>
        <Link to={`/configuration/oauth#oauth-${s.provider}`}>{name} sign-ins</Link><span aria-hidden="true">/</span>
        <span aria-current="page">{s.id}</span>
      </nav>
      <SessionHeading title={title} session={s} />
      {s.state === 'FAILED' && <OAuthDiagnosis session={s} />}
      <SessionSummary timeline={<Timeline s={s} />} rows={<>
        <dt>Email</dt><dd>{s.email ?? <span className="muted">Not known</span>}</dd>
        <dt>Name</dt><dd>{[s.firstName, s.lastName].filter(Boolean).join(' ') || <span className="muted">Not known</span>}</dd>
        <dt>{name} user ID</dt><dd className="mono">{s.idpId ?? <span className="muted">Not known</span>}</dd>
        <dt>Provider</dt><dd className="mono">{s.provider}</dd>
        <dt>Returns to</dt><dd className="mono" style={{ overflowWrap: 'anywhere' }}>{s.redirectUri ?? <span className="muted">No redirect URI</span>}</dd>
      </>} />
      <OAuthExchange exchange={s.oauthExchange as Record<string, unknown> | null} state={s.state} />
    </div>
  );
}
