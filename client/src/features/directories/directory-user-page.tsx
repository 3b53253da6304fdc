import { Link, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { CopyButton } from '../../components/copy-button';
import { ErrorState, Loading } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { DirectoryUserQuery } from './api';

const display = (v: unknown) => (v === null || v === undefined ? <span className="muted">null</span> : typeof v === 'object' ? <span className="mono">{JSON.stringify(v)}</span> : String(v));

export function DirectoryUserPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(DirectoryUserQuery, { variables: { id } });
  if (loading && !data) return <div className="page"><Loading /></div>;
  if (error && !data) return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /></div>;
  const u = data!.directoryUser;
  const custom = Object.entries(u.customAttributes as Record<string, unknown>);
  const raw = JSON.stringify(u.rawAttributes, null, 2);
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={`/organizations/${u.directory.organization.id}`}>{u.directory.organization.name}</Link><span aria-hidden="true">/</span>
        <Link to={`/directories/${u.directory.id}/users`}>{u.directory.name}</Link><span aria-hidden="true">/</span>
        <span aria-current="page">{u.email ?? u.userName}</span>
      </nav>
      <div className="page-header">
        <div>
          <h1 className="person">{[u.firstName, u.lastName].filter(Boolean).join(' ') || u.userName} {u.state === 'active' ? <span className="badge badge-success">Active</span> : <span className="badge">Inactive</span>}</h1>
          <p className="copy-row"><code>{u.id}</code><CopyButton value={u.id} label="directory user ID" /></p>
        </div>
      </div>
      <div className="grid-2">
        <section className="card" aria-labelledby="standard-title">
          <div className="card-header"><h2 id="standard-title">Standard attributes</h2></div>
          <dl className="card-body kv" style={{ gridTemplateColumns: '120px 1fr' }}>
            <dt>idp_id</dt><dd className="mono">{u.idpId}</dd>
            <dt>email</dt><dd>{display(u.email)}</dd>
            <dt>first_name</dt><dd>{display(u.firstName)}</dd>
            <dt>last_name</dt><dd>{display(u.lastName)}</dd>
            <dt>username</dt><dd>{u.userName}</dd>
            <dt>state</dt><dd>{u.state}</dd>
            <dt>groups</dt><dd>{u.groups.length ? u.groups.map((g) => g.name).join(', ') : <span className="muted">none</span>}</dd>
            <dt>updated</dt><dd className="muted">{formatDateTime(u.updatedAt)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="custom-title">
          <div className="card-header"><div><h2 id="custom-title">Custom attributes</h2><p>As mapped for this directory.</p></div></div>
          {custom.length ? (
            <dl className="card-body kv" style={{ gridTemplateColumns: '140px 1fr' }}>
              {custom.map(([key, value]) => <div key={key} style={{ display: 'contents' }}><dt className="mono">{key}</dt><dd>{display(value)}</dd></div>)}
            </dl>
          ) : <div className="card-body muted">None for this user yet. Custom attributes appear once they are <Link to="/configuration/custom-attributes">defined</Link> and mapped on the directory’s Attribute mapping tab.</div>}
        </section>
      </div>
      <section className="card" aria-labelledby="raw-title">
        <div className="card-header"><div><h2 id="raw-title">Raw SCIM data</h2><p>As the provider sent it (never a password).</p></div><CopyButton value={raw} label="raw SCIM data" /></div>
        <pre className="xml" tabIndex={0} aria-label="Raw SCIM JSON">{raw}</pre>
      </section>
    </div>
  );
}
