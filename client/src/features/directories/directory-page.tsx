import { Fragment, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { useConfirm } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { TabLinks } from '../../components/tabs';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { formatDateTime } from '../../lib/format';
import { DeleteDirectoryMutation, DirectoryGroupsQuery, DirectoryMappingQuery, DirectoryQuery, DirectoryUsersQuery, MapCustomAttributeMutation, RotateDirectoryTokenMutation, ScimLogQuery } from './api';
import { DirectoryStateBadge } from './directory-state';

type Tab = 'overview' | 'users' | 'groups' | 'mapping' | 'log';

export function DirectoryPage({ tab = 'overview' }: { tab?: Tab }) {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(DirectoryQuery, { variables: { id } });
  if (loading && !data) return <div className="page"><Loading /></div>;
  if (error && !data) return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /></div>;
  const d = data!.directory;
  const base = `/directories/${d.id}`;
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/organizations">Organizations</Link><span aria-hidden="true">/</span>
        <Link to={`/organizations/${d.organization.id}`}>{d.organization.name}</Link><span aria-hidden="true">/</span>
        <span aria-current="page">{d.name}</span>
      </nav>
      <div className="page-header">
        <div>
          <h1 className="person">{d.name} <DirectoryStateBadge state={d.state} /></h1>
          <p>{d.typeLabel} · <span className="mono">{d.id}</span> <CopyButton value={d.id} label="directory ID" /></p>
        </div>
      </div>
      <TabLinks label="Directory" tabs={[
        { to: base, label: 'Overview', end: true }, { to: `${base}/users`, label: 'Users' }, { to: `${base}/groups`, label: 'Groups' },
        { to: `${base}/mapping`, label: 'Attribute mapping' }, { to: `${base}/log`, label: 'SCIM log' },
      ]} />
      {tab === 'overview' && <Overview directory={d} />}
      {tab === 'users' && <UsersTab directoryId={d.id} />}
      {tab === 'groups' && <GroupsTab directoryId={d.id} />}
      {tab === 'mapping' && <MappingTab directoryId={d.id} />}
      {tab === 'log' && <LogTab directoryId={d.id} />}
    </div>
  );
}

function Overview({ directory: d }: { directory: { id: string; name: string; scimBaseUrl: string; tokenLastFour: string; tokenRotatedAt: string; organization: { id: string } } }) {
  const navigate = useNavigate();
  const [token, setToken] = useState<string | null>(null);
  const [rotate, rotateState] = useMutation(RotateDirectoryTokenMutation);
  const [remove, removeState] = useMutation(DeleteDirectoryMutation, { refetchQueries: ['OrganizationDirectories'] });
  const confirm = useConfirm();
  const toast = useToast();
  return (
    <>
      <section className="card" aria-labelledby="scim-title">
        <div className="card-header"><div><h2 id="scim-title">SCIM endpoint</h2><p>Give these to the organization’s IT admin for their directory provider’s provisioning settings.</p></div></div>
        <dl className="card-body kv">
          <dt>SCIM base URL</dt><dd className="copy-row"><code className="mono">{d.scimBaseUrl}</code><CopyButton value={d.scimBaseUrl} label="SCIM base URL" /></dd>
          <dt>Bearer token</dt>
          <dd>
            <span className="mono">scim_••••••••{d.tokenLastFour}</span> <span className="subtle">created {formatDateTime(d.tokenRotatedAt)}</span>
            <div style={{ marginTop: 8 }}><button className="btn btn-sm" type="button" disabled={rotateState.loading} onClick={async () => {
              const ok = await confirm({ title: `Rotate the SCIM token of ${d.name}?`, body: 'The current token stops working at once: the directory provider must be given the new one, or provisioning stops.', confirmLabel: 'Rotate token' });
              if (!ok) return;
              const result = await rotate({ variables: { id: d.id } }).catch(() => null);
              if (result?.data) setToken(result.data.rotateDirectoryToken.token);
            }}>Rotate token</button></div>
          </dd>
        </dl>
        <div className="card-body"><FormError error={rotateState.error ?? removeState.error} /></div>
      </section>
      <section className="card" aria-labelledby="danger-title">
        <div className="card-header">
          <div><h2 id="danger-title">Delete directory</h2><p>Its users and groups are deleted too, and the provider’s token stops working.</p></div>
          <button className="btn btn-danger" type="button" disabled={removeState.loading} onClick={async () => {
            const ok = await confirm({ title: `Delete directory ${d.name}?`, body: 'Its users and groups are deleted too, and the provider’s token stops working. This cannot be undone.', confirmLabel: 'Delete directory' });
            if (!ok) return;
            const result = await remove({ variables: { id: d.id } }).catch(() => null);
            if (!result?.data) return;
            toast.success(`Directory ${d.name} deleted.`);
            navigate(`/organizations/${d.organization.id}`);
          }}>Delete directory</button>
        </div>
      </section>
      <Dialog open={token !== null} title="Copy the new token now" description="This is the only time it is shown. Give it to the IT admin for the provider." onClose={() => setToken(null)} footer={<button className="btn btn-primary" type="button" onClick={() => setToken(null)}>Done</button>}>
        <div className="copy-row"><code className="mono">{token}</code>{token && <CopyButton value={token} label="bearer token" />}</div>
      </Dialog>
    </>
  );
}

function useDebounced(value: string) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value.trim()), 250);
    return () => clearTimeout(t);
  }, [value]);
  return debounced;
}

function UsersTab({ directoryId }: { directoryId: string }) {
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search);
  const { data, loading, error, refetch, fetchMore } = useQuery(DirectoryUsersQuery, { variables: { id: directoryId, search: debounced || null } });
  const page = data?.directory.users;
  return (
    <section className="card" aria-label="Users">
      <div className="toolbar">
        <label className="visually-hidden" htmlFor="user-search">Search users</label>
        <input id="user-search" className="input" type="search" placeholder="Search by email or name" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {loading && !page ? <Loading /> : error && !page ? <ErrorState error={error} onRetry={() => refetch()} /> : !page?.edges.length ? (
        <EmptyState title={debounced ? 'No matches' : 'No users yet'}>{debounced ? `No user matches “${debounced}”.` : 'Users appear here as the directory provider pushes them.'}</EmptyState>
      ) : (
        <>
          <table className="table">
            <thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">State</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {page.edges.map(({ node: u }) => (
                <tr key={u.id}>
                  <td><Link className="row-link" to={`/directory-users/${u.id}`}>{[u.firstName, u.lastName].filter(Boolean).join(' ') || u.userName}</Link><div className="subtle">{u.userName}</div></td>
                  <td>{u.email ?? <span className="muted">—</span>}</td>
                  <td>{u.state === 'active' ? <span className="badge badge-success">Active</span> : <span className="badge">Inactive</span>}</td>
                  <td className="muted">{formatDateTime(u.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.pageInfo.hasNextPage && <div className="pager"><button className="btn" type="button" onClick={() => fetchMore({ variables: { after: page.pageInfo.endCursor }, updateQuery: (prev, { fetchMoreResult }) => ({ ...fetchMoreResult, directory: { ...fetchMoreResult.directory, users: { ...fetchMoreResult.directory.users, edges: [...prev.directory.users.edges, ...fetchMoreResult.directory.users.edges] } } }) })}>Load more</button></div>}
        </>
      )}
    </section>
  );
}

function GroupsTab({ directoryId }: { directoryId: string }) {
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search);
  const { data, loading, error, refetch, fetchMore } = useQuery(DirectoryGroupsQuery, { variables: { id: directoryId, search: debounced || null } });
  const page = data?.directory.groups;
  return (
    <section className="card" aria-label="Groups">
      <div className="toolbar">
        <label className="visually-hidden" htmlFor="group-search">Search groups</label>
        <input id="group-search" className="input" type="search" placeholder="Search by name" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {loading && !page ? <Loading /> : error && !page ? <ErrorState error={error} onRetry={() => refetch()} /> : !page?.edges.length ? (
        <EmptyState title={debounced ? 'No matches' : 'No groups yet'}>{debounced ? `No group matches “${debounced}”.` : 'Groups appear here as the directory provider pushes them.'}</EmptyState>
      ) : (
        <>
          <table className="table">
            <thead><tr><th scope="col">Group</th><th scope="col">Provider ID</th><th scope="col">Created</th></tr></thead>
            <tbody>{page.edges.map(({ node: g }) => <tr key={g.id}><td><strong>{g.name}</strong><div className="subtle mono">{g.id}</div></td><td className="mono">{g.idpId}</td><td className="muted">{formatDateTime(g.createdAt)}</td></tr>)}</tbody>
          </table>
          {page.pageInfo.hasNextPage && <div className="pager"><button className="btn" type="button" onClick={() => fetchMore({ variables: { after: page.pageInfo.endCursor }, updateQuery: (prev, { fetchMoreResult }) => ({ ...fetchMoreResult, directory: { ...fetchMoreResult.directory, groups: { ...fetchMoreResult.directory.groups, edges: [...prev.directory.groups.edges, ...fetchMoreResult.directory.groups.edges] } } }) })}>Load more</button></div>}
        </>
      )}
    </section>
  );
}

function MappingTab({ directoryId }: { directoryId: string }) {
  const { data, loading, error, refetch } = useQuery(DirectoryMappingQuery, { variables: { id: directoryId } });
  const [map, state] = useMutation(MapCustomAttributeMutation);
  const toast = useToast();
  if (loading && !data) return <Loading />;
  if (error && !data) return <ErrorState error={error} onRetry={() => refetch()} />;
  const { attributeMappings, rawAttributePaths } = data!.directory;
  return (
    <section className="card" aria-labelledby="mapping-title">
      <div className="card-header"><div><h2 id="mapping-title">Custom attribute mapping</h2><p>Choose where each of the environment’s custom attributes comes from in this directory’s raw data. Every user is updated when you change it.</p></div></div>
      <div className="card-body stack">
        <FormError error={state.error} />
        {!attributeMappings.length ? (
          <EmptyState title="No custom attributes defined">Define them in <Link to="/configuration/custom-attributes">Configuration → Custom attributes</Link> (e.g. manager, cost_center), then map them here.</EmptyState>
        ) : !rawAttributePaths.length ? (
          <EmptyState title="No user data yet">Once the provider has pushed users, the attributes they carry are listed here to choose from.</EmptyState>
        ) : (
          <div className="mapping-grid">
            {attributeMappings.map((m) => (
              <div key={m.customAttribute.id} style={{ display: 'contents' }}>
                <label htmlFor={`map-${m.customAttribute.id}`}><strong>{m.customAttribute.label}</strong><div className="subtle mono">{m.customAttribute.key}</div></label>
                <select id={`map-${m.customAttribute.id}`} className="select" value={m.path ?? ''} disabled={state.loading} onChange={async (e) => {
                  const path = e.target.value || null;
                  const result = await map({ variables: { directoryId, customAttributeId: m.customAttribute.id, path } }).catch(() => null);
                  if (result?.data) {
                    await refetch();
                    toast.success(path ? `${m.customAttribute.key} now comes from ${path}.` : `${m.customAttribute.key} is no longer mapped.`);
                  }
                }}>
                  <option value="">Not mapped (null)</option>
                  {rawAttributePaths.map((p) => <option key={p.path} value={p.path}>{p.path} — e.g. {p.sample} ({p.users} user{p.users === 1 ? '' : 's'})</option>)}
                </select>
              </div>
            ))}
          </div>
        )}
      </div>
    </section>
  );
}

function LogTab({ directoryId }: { directoryId: string }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(ScimLogQuery, { variables: { id: directoryId }, pollInterval: 10_000 });
  const [open, setOpen] = useState<string | null>(null);
  const page = data?.directory.scimRequests;
  return (
    <section className="card" aria-labelledby="log-title">
      <div className="card-header"><div><h2 id="log-title">SCIM requests</h2><p>Newest first. Bodies are kept for failed requests only.</p></div></div>
      {loading && !page ? <Loading /> : error && !page ? <ErrorState error={error} onRetry={() => refetch()} /> : !page?.edges.length ? (
        <EmptyState title="No requests yet">The provider’s requests appear here as they arrive.</EmptyState>
      ) : (
        <>
          <table className="table">
            <thead><tr><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Time</th><th scope="col">When</th></tr></thead>
            <tbody>
              {page.edges.map(({ node: r }) => (
                <Fragment key={r.id}>
                  <tr>
                    <td>
                      <span className="mono mono-words">{r.method} {r.path}</span>
                      {r.suppressedCount > 0 && (
                        <> <span className="badge badge-warning" title="Failed authentications past the per-directory log rate are counted on this row instead of logged one by one">+{r.suppressedCount} more in the same minute</span></>
                      )}
                    </td>
                    <td>{r.status >= 400 ? <button className="btn btn-sm btn-ghost" type="button" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}><span className="badge badge-danger">{r.status}</span> details</button> : <span className="badge badge-success">{r.status}</span>}</td>
                    <td className="muted nowrap">{r.durationMs.toFixed(1)} ms</td>
                    <td className="muted">{formatDateTime(r.createdAt)}</td>
                  </tr>
                  {open === r.id && (
                    <tr><td colSpan={4}>
                      <div className="grid-2">
                        <div><div className="label">Request body</div><pre className="xml">{JSON.stringify(r.requestBody, null, 2)}</pre></div>
                        <div><div className="label">Response</div><pre className="xml">{pretty(r.responseBody)}</pre></div>
                      </div>
                    </td></tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {page.pageInfo.hasNextPage && <div className="pager"><button className="btn" type="button" onClick={() => fetchMore({ variables: { after: page.pageInfo.endCursor }, updateQuery: (prev, { fetchMoreResult }) => ({ ...fetchMoreResult, directory: { ...fetchMoreResult.directory, scimRequests: { ...fetchMoreResult.directory.scimRequests, edges: [...prev.directory.scimRequests.edges, ...fetchMoreResult.directory.scimRequests.edges] } } }) })}>Load older requests</button></div>}
        </>
      )}
    </section>
  );
}

function pretty(text: string | null | undefined): string {
  if (!text) return '—';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
