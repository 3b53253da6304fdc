import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { useCurrentEnvironment } from '../../app/use-environment';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import type { ConnectionSessionsQuery as Data, SessionFilterInput, SamlErrorKind, SsoSessionStatus } from '../../gql/graphql';
import { formatDateTime, formatRelative } from '../../lib/format';
import { ConnectionSessionsQuery } from '../connections/api';
import { SAML_ERROR_LABELS, SessionStateBadge } from '../connections/badges';

type Row = Data['connection']['sessions']['edges'][number]['node'];
const PAGE_SIZE = 50;
const POLL_MS = 5000;

const STATUSES: { value: SsoSessionStatus; label: string }[] = [
  { value: 'FAILED' as SsoSessionStatus, label: 'Failed' },
  { value: 'SUCCESSFUL' as SsoSessionStatus, label: 'Successful' },
  { value: 'AUTHORIZED' as SsoSessionStatus, label: 'Authorized' },
  { value: 'STARTED' as SsoSessionStatus, label: 'Started (in progress)' },
  { value: 'TIMED_OUT' as SsoSessionStatus, label: 'Timed out' },
];

export const shortId = (id: string) => `${id.slice(0, 12)}…${id.slice(-6)}`;

/** A connection's sign-in attempts, newest first: filters, keyset pages, and new attempts arriving at the top. */
export function SessionsTab({ connectionId }: { connectionId: string }) {
  const navigate = useNavigate();
  const client = useApolloClient();
  const environment = useCurrentEnvironment();
  // ?status=FAILED: the link of the failed sign-ins notification opens the tab filtered to the failures;
  // ?error=KIND: the Overview's top errors open it filtered to one error.
  const [searchParams] = useSearchParams();
  const [status, setStatus] = useState(searchParams.get('status') ?? '');
  const [error, setError] = useState(() => {
    const kind = searchParams.get('error') ?? '';
    return kind in SAML_ERROR_LABELS ? kind : '';
  });
  const [email, setEmail] = useState('');
  const [debouncedEmail, setDebouncedEmail] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebouncedEmail(email.trim()), 300);
    return () => clearTimeout(t);
  }, [email]);
  const filter = useMemo<SessionFilterInput>(() => ({
    statuses: status ? [status as SsoSessionStatus] : null,
    errors: error ? [error as SamlErrorKind] : null,
    email: debouncedEmail || null,
    from: from ? new Date(from).toISOString() : null,
    to: to ? new Date(to).toISOString() : null,
  }), [status, error, debouncedEmail, from, to]);
  const filtered = Boolean(status || error || debouncedEmail || from || to);

  const { data, loading, error: loadError, refetch, fetchMore } = useQuery(ConnectionSessionsQuery, { variables: { id: connectionId, first: PAGE_SIZE, filter }, notifyOnNetworkStatusChange: true });
  const [fresh, setFresh] = useState<Row[]>([]);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => setFresh([]), [filter]);
  const rows = useMemo(() => [...fresh, ...(data?.connection.sessions.edges.map((e) => e.node) ?? [])], [fresh, data]);
  const newest = useRef<string | null>(null);
  newest.current = rows[0]?.id ?? null;

  // New attempts arrive at the top; the browser keeps the reader's place (scroll anchoring) and "load more" pages are kept.
  useEffect(() => {
    if (!data) return;
    const timer = setInterval(async () => {
      if (document.hidden) return;
      const since = newest.current;
      const result = await client.query({ query: ConnectionSessionsQuery, variables: { id: connectionId, first: PAGE_SIZE, filter: { ...filter, since } }, fetchPolicy: 'network-only' }).catch(() => null);
      const incoming = result?.data?.connection.sessions.edges.map((e) => e.node) ?? [];
      if (since === null && incoming.length) {
        await refetch();
      } else if (incoming.length) {
        setFresh((current) => [...incoming.filter((r) => !current.some((c) => c.id === r.id)), ...current]);
        setAnnouncement(`${incoming.length} new sign-in attempt${incoming.length === 1 ? '' : 's'}`);
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [client, connectionId, filter, data, refetch]);

  const page = data?.connection.sessions;
  const example = `${window.location.origin}/sso/authorize?client_id=${environment?.clientId ?? 'client_…'}&connection=${connectionId}&redirect_uri=<your redirect URI>&response_type=code`;

  return (
    <section className="card" aria-labelledby="sessions-title">
      <div className="card-header">
        <div><h2 id="sessions-title">Sessions</h2><p>Every sign-in attempt through this connection, newest first. New attempts appear as they happen.</p></div>
      </div>
      <form className="filters" role="search" aria-label="Filter sessions" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" className="select" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-error">Error</label>
          <select id="f-error" className="select" value={error} onChange={(e) => setError(e.target.value)}>
            <option value="">All errors</option>
            {Object.entries(SAML_ERROR_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-email">User email starts with</label>
          <input id="f-email" className="input" type="search" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="ada@" />
        </div>
        <div className="field">
          <label htmlFor="f-from">From</label>
          <input id="f-from" className="input" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="f-to">To</label>
          <input id="f-to" className="input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        {filtered && <button className="btn btn-sm btn-ghost" type="button" onClick={() => { setStatus(''); setError(''); setEmail(''); setFrom(''); setTo(''); }}>Clear filters</button>}
      </form>
      <div className="visually-hidden" aria-live="polite">{announcement}</div>
      {(data?.connection.unrecordedFailedAttempts ?? 0) > 0 && (
        <div className="alert alert-info" role="status">
          {unrecordedNotice(data!.connection.unrecordedFailedAttempts)}
        </div>
      )}
      {loading && !data ? <Loading label="Loading sessions…" /> : loadError && !data ? <ErrorState error={loadError} onRetry={() => refetch()} /> : !rows.length ? (
        filtered ? <EmptyState title="No sessions match">Change or clear the filters.</EmptyState> : (
          <EmptyState title="No sign-ins yet">
            Start a test sign-in from your app with <code>workos.sso.getAuthorizationUrl({'{'} connection: '{connectionId}' {'}'})</code>, or open{' '}
            <span className="mono">{example}</span>. Sign-ins started from the identity provider’s app launcher appear here too.
          </EmptyState>
        )
      ) : (
        <>
          <div className="table-scroll">
          <table className="table single-line">
            <thead><tr><th scope="col">Status</th><th scope="col">Error</th><th scope="col">User</th><th scope="col">Session</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} className="clickable" onClick={(e) => { if (!(e.target as HTMLElement).closest('a')) navigate(`/sessions/${s.id}`); }}>
                  <td><SessionStateBadge state={s.state} timedOut={s.timedOut} /></td>
                  <td>{s.error ? <span className="clip" title={s.errorMessage ?? undefined}><strong>{SAML_ERROR_LABELS[s.error]}</strong> <span className="subtle">{s.errorMessage}</span></span> : <span className="muted">—</span>}</td>
                  <td><span className="clip clip-short" title={[s.firstName, s.lastName].filter(Boolean).join(' ') || undefined}>{s.email ?? <span className="muted">Unknown yet</span>}</span></td>
                  <td><Link className="row-link mono" to={`/sessions/${s.id}`}><span className="visually-hidden">Session {s.id}</span><span aria-hidden="true">{shortId(s.id)}</span></Link>{s.origin !== 'SP' && <span className="subtle"> · from the IdP</span>}{s.testSignIn && <span className="subtle"> · Test sign-in</span>}</td>
                  <td className="muted"><time dateTime={s.createdAt} title={formatDateTime(s.createdAt)}>{formatRelative(s.createdAt)}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          {page?.pageInfo.hasNextPage && (
            <div className="pager">
              <button className="btn" type="button" disabled={loading} onClick={() => fetchMore({
                variables: { after: page.pageInfo.endCursor },
                updateQuery: (prev, { fetchMoreResult }) => ({ ...fetchMoreResult, connection: { ...fetchMoreResult.connection, sessions: { ...fetchMoreResult.connection.sessions, edges: [...prev.connection.sessions.edges, ...fetchMoreResult.connection.sessions.edges] } } }),
              })}>{loading ? 'Loading…' : 'Load older sessions'}</button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Failed posts past the per-IP or per-connection limits are refused but only counted; say so beside the list. */
function unrecordedNotice(count: number): string {
  return `${count.toLocaleString('en-US')} more failed sign-in attempt${count === 1 ? ' was' : 's were'} not recorded in the last 24 hours: too many failed attempts came from one network or through this connection. They were refused like the ones below.`;
}
