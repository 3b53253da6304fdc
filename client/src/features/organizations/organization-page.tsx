import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { domainProblems } from '@portico/shared';
import { useConfirm } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import type { OrganizationQuery as OrganizationData } from '../../gql/graphql';
import { readError } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { connectionTypeLabel } from '../connections/api';
import { ConnectionStateBadge, SessionStateBadge } from '../connections/badges';
import { CreateConnectionDialog } from '../connections/create-connection-dialog';
import { AdminPortalCard } from './admin-portal-card';
import { DirectoriesCard } from '../directories/directories-card';
import { AddDomainMutation, DeleteOrganizationMutation, OrganizationQuery, RemoveDomainMutation, UpdateOrganizationMutation } from './api';

export function OrganizationPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(OrganizationQuery, { variables: { id } });
  const [adding, setAdding] = useState(false);
  if (loading && !data) return <div className="page"><Loading /></div>;
  if (error && !data) {
    return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /><p className="muted" style={{ textAlign: 'center' }}><Link to="/organizations">Back to organizations</Link></p></div>;
  }
  const org = data!.organization;

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb"><Link to="/organizations">Organizations</Link><span aria-hidden="true">/</span><span aria-current="page">{org.name}</span></nav>
      <div className="page-header">
        <div>
          <h1>{org.name}</h1>
          <p className="copy-row"><code>{org.id}</code><CopyButton value={org.id} label="organization ID" /></p>
        </div>
      </div>

      <DomainsCard org={org} />

      <section className="card" aria-labelledby="connections-title">
        <div className="card-header">
          <div>
            <h2 id="connections-title">Connections</h2>
            <p>How this organization’s users sign in. Start a sign-in with <code>organization={org.id}</code> or with a connection ID.</p>
          </div>
          <button className="btn btn-primary" type="button" onClick={() => setAdding(true)}>Add connection</button>
        </div>
        {!org.ssoConnections.length ? (
          <EmptyState title="No connections yet" action={<button className="btn" type="button" onClick={() => setAdding(true)}>Add connection</button>}>
            Add a SAML connection with the identity provider’s metadata (Okta, Entra ID, Google Workspace, AD FS …), or an OpenID Connect one with its discovery URL.
          </EmptyState>
        ) : (
          <table className="table">
            <thead><tr><th scope="col">Connection</th><th scope="col">State</th><th scope="col">Latest sign-in</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {org.ssoConnections.map((c) => (
                <tr key={c.id}>
                  <td><Link className="row-link" to={`/connections/${c.id}`}>{c.name}</Link><div className="subtle">{connectionTypeLabel(c.connectionType)} · <span className="mono">{c.id}</span></div></td>
                  <td><ConnectionStateBadge state={c.state} /></td>
                  <td>{c.latestSession ? <span className="person"><SessionStateBadge state={c.latestSession.state} /> <span className="muted">{formatDate(c.latestSession.createdAt)}</span></span> : <span className="muted">None yet</span>}</td>
                  <td className="muted">{formatDate(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <DirectoriesCard organizationId={org.id} organizationName={org.name} />
      <AdminPortalCard organizationId={org.id} />
      <DetailsCard org={org} />
      <CreateConnectionDialog open={adding} organizationId={org.id} organizationName={org.name} onClose={() => setAdding(false)} />
    </div>
  );
}

type Org = OrganizationData['organization'];

function DomainsCard({ org }: { org: Org }) {
  const [domain, setDomain] = useState('');
  const [touched, setTouched] = useState(false);
  const [add, addState] = useMutation(AddDomainMutation, { refetchQueries: ['Organization'] });
  const [remove, removeState] = useMutation(RemoveDomainMutation, { refetchQueries: ['Organization'] });
  const [update, updateState] = useMutation(UpdateOrganizationMutation);
  const confirm = useConfirm();
  const toast = useToast();
  const local = touched && domain.trim() ? domainProblems(domain)[0]?.message : undefined;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!domain.trim() || domainProblems(domain).length) return;
    const result = await add({ variables: { organizationId: org.id, domain } }).catch(() => null);
    if (result?.data) {
      toast.success(`${domain} added to ${org.name}.`);
      setDomain('');
      setTouched(false);
    }
  };
  return (
    <section className="card" aria-labelledby="domains-title">
      <div className="card-header">
        <div>
          <h2 id="domains-title">User email domains</h2>
          <p>The allowlist: a SAML profile whose email is on another domain is refused with “Profile Not Allowed Outside Organization”.</p>
        </div>
      </div>
      <div className="card-body stack">
        <FormError error={removeState.error ?? updateState.error} />
        {org.domains.length ? (
          <ul className="chips" aria-label="Domains" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {org.domains.map((d) => (
              <li key={d.id} className="chip">
                {d.domain}{d.state !== 'VERIFIED' && <span className="badge badge-warning">{d.state.toLowerCase()}</span>}
                <button type="button" aria-label={`Remove ${d.domain}`} onClick={async () => {
                  const ok = await confirm({ title: `Remove domain ${d.domain} from ${org.name}?`, body: `Users with an @${d.domain} email will no longer be allowed to sign in through ${org.name}’s connections.`, confirmLabel: 'Remove domain' });
                  if (!ok) return;
                  const result = await remove({ variables: { id: d.id } }).catch(() => null);
                  if (result?.data) toast.success(`${d.domain} removed from ${org.name}.`);
                }}>×</button>
              </li>
            ))}
          </ul>
        ) : <p className="muted">No domains yet: every profile is refused unless you allow profiles outside the organization.</p>}
        <form className="copy-row" onSubmit={submit} noValidate style={{ alignItems: 'flex-start' }}>
          <div style={{ flex: 1 }}>
            <Field label="Add a domain" value={domain} onChange={(e) => setDomain(e.target.value)} onBlur={() => setTouched(true)} placeholder="acme.com"
              error={local ?? readError(addState.error)?.fields.domain ?? (readError(addState.error)?.code === 'CONFLICT' ? readError(addState.error)?.message : undefined)} />
          </div>
          <button className="btn btn-beside-field" type="submit" disabled={addState.loading}>{addState.loading ? 'Adding…' : 'Add domain'}</button>
        </form>
        <label className="checkbox-row" style={{ borderBottom: 0, paddingBottom: 0 }}>
          <input type="checkbox" checked={org.allowProfilesOutsideOrganization} disabled={updateState.loading}
            onChange={(e) => update({ variables: { input: { id: org.id, allowProfilesOutsideOrganization: e.target.checked } } }).catch(() => null)} />
          <span>
            <strong>Allow profiles outside the organization</strong>
            <span className="subtle" style={{ display: 'block' }}>Accept users whose email domain is not on the list, e.g. contractors. Off by default.</span>
          </span>
        </label>
      </div>
    </section>
  );
}

function DetailsCard({ org }: { org: Org }) {
  const navigate = useNavigate();
  const [name, setName] = useState(org.name);
  const [externalId, setExternalId] = useState(org.externalId ?? '');
  const [update, state] = useMutation(UpdateOrganizationMutation);
  const [remove, removeState] = useMutation(DeleteOrganizationMutation, { refetchQueries: ['Organizations'] });
  const confirm = useConfirm();
  const toast = useToast();
  const fields = readError(state.error)?.fields ?? {};
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await update({ variables: { input: { id: org.id, name, externalId: externalId.trim() || null } } }).catch(() => null);
    if (result?.data) toast.success(`Organization ${result.data.updateOrganization.name} saved.`);
  };
  return (
    <section className="card" aria-labelledby="details-title">
      <div className="card-header"><div><h2 id="details-title">Details</h2><p>Created {formatDate(org.createdAt)}.</p></div></div>
      <form className="card-body form" onSubmit={submit} noValidate>
        <FormError error={state.error ?? removeState.error} />
        <div className="grid-2">
          <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} />
          <Field label="External ID" value={externalId} onChange={(e) => setExternalId(e.target.value)} error={fields.externalId} hint="Your own ID for this customer (unique in the environment)." />
        </div>
        <div className="form-actions" style={{ justifyContent: 'space-between' }}>
          <button className="btn btn-danger" type="button" disabled={removeState.loading} onClick={async () => {
            const ok = await confirm({ title: `Delete organization ${org.name}?`, body: 'Its connections, directories and their sign-in history are deleted too. This cannot be undone.', confirmLabel: 'Delete organization' });
            if (!ok) return;
            const result = await remove({ variables: { id: org.id } }).catch(() => null);
            if (!result?.data) return;
            toast.success(`Organization ${org.name} deleted.`);
            navigate('/organizations');
          }}>Delete organization</button>
          <button className="btn btn-primary" type="submit" disabled={state.loading}>{state.loading ? 'Saving…' : 'Save'}</button>
        </div>
      </form>
    </section>
  );
}
