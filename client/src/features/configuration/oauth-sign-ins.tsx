import { Link } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatDateTime, formatRelative } from '../../lib/format';
import { SAML_ERROR_LABELS, SessionStateBadge } from '../connections/badges';
import { OAuthSessionsQuery } from '../sessions/api';

const PAGE_SIZE = 5;

/** A provider's sign-in attempts, newest first, each linking to its Session Details; older ones page in. */
export function OAuthSignIns({ environmentId, provider, label }: { environmentId: string; provider: string; label: string }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(OAuthSessionsQuery, { variables: { environmentId, provider, first: PAGE_SIZE }, notifyOnNetworkStatusChange: true, fetchPolicy: 'cache-and-network' });
  const page = data?.environment.oauthSessions;
  const id = `oauth-${provider}-sessions`;
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-header">
        <div><h2 id={id}>Recent sign-ins with {label}</h2><p>Every attempt through {label}, newest first{page ? ` (${page.totalCount.toLocaleString('en-US')} in all)` : ''}. Open one for its timeline, diagnosis and raw exchange.</p></div>
        <button className="btn btn-sm" type="button" onClick={() => refetch()} disabled={loading}>Refresh</button>
      </div>
      {loading && !data ? <Loading label="Loading sign-ins…" /> : error && !data ? <ErrorState error={error} onRetry={() => refetch()} /> : !page?.edges.length ? (
        <EmptyState title="No sign-ins yet">Sign-ins appear here once your app sends users to <code>/sso/authorize?provider={provider}</code> (the SDK’s <code>getAuthorizationUrl({'{'} provider: '{provider}' {'}'})</code>).</EmptyState>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table single-line">
              <thead><tr><th scope="col">Status</th><th scope="col">User</th><th scope="col">Error</th><th scope="col">Started</th></tr></thead>
              <tbody>
                {page.edges.map(({ node: s }) => (
                  <tr key={s.id}>
                    <td><SessionStateBadge state={s.state} timedOut={s.timedOut} /></td>
                    <td><Link className="row-link" to={`/oauth-sessions/${s.id}`}>{s.email ?? 'Unknown yet'} <span className="subtle mono">· {s.id.slice(-6)}</span></Link></td>
                    <td>{s.error ? <strong>{SAML_ERROR_LABELS[s.error]}</strong> : <span className="muted">—</span>}</td>
                    <td className="muted"><time dateTime={s.startedAt} title={formatDateTime(s.startedAt)}>{formatRelative(s.startedAt)}</time></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.pageInfo.hasNextPage && (
            <div className="pager">
              <button className="btn" type="button" disabled={loading} onClick={() => fetchMore({
                variables: { after: page.pageInfo.endCursor },
                updateQuery: (prev, { fetchMoreResult }) => ({ ...fetchMoreResult, environment: { ...fetchMoreResult.environment, oauthSessions: { ...fetchMoreResult.environment.oauthSessions, edges: [...prev.environment.oauthSessions.edges, ...fetchMoreResult.environment.oauthSessions.edges] } } }),
              })}>{loading ? 'Loading…' : 'Load older sign-ins'}</button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
