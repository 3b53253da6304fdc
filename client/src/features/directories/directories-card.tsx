import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { readError } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { CreateDirectoryMutation, DIRECTORY_TYPES, OrganizationDirectoriesQuery } from './api';
import { DirectoryStateBadge } from './directory-state';
import { NO_DEDUP } from '../../lib/apollo-context';

/** The organization's SCIM directories, and adding one (its token is shown once). */
export function DirectoriesCard({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const { data, loading, error, refetch } = useQuery(OrganizationDirectoriesQuery, { variables: { id: organizationId }, context: NO_DEDUP });
  const [adding, setAdding] = useState(false);
  const [type, setType] = useState('okta scim v2.0');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ id: string; token: string; url: string } | null>(null);
  const [create, state] = useMutation(CreateDirectoryMutation);
  const close = () => {
    setAdding(false);
    setName('');
    setCreated(null);
    state.reset();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({ variables: { input: { organizationId, type, name: name.trim() || null } } }).catch(() => null);
    if (result?.data) {
      const { directory, token } = result.data.createDirectory;
      setCreated({ id: directory.id, token, url: directory.scimBaseUrl });
      await refetch();
    }
  };
  const directories = data?.organization.directories;
  return (
    <section className="card" aria-labelledby="directories-title">
      <div className="card-header">
        <div><h2 id="directories-title">Directories</h2><p>Users and groups the organization’s directory provider pushes over SCIM.</p></div>
        <button className="btn" type="button" onClick={() => setAdding(true)}>Add directory</button>
      </div>
      {loading && !directories ? <Loading /> : error && !directories ? <ErrorState error={error} onRetry={() => refetch()} /> : !directories?.length ? (
        <EmptyState title="No directories yet">Add one to sync {organizationName}’s users and groups from Okta, Entra ID, OneLogin, JumpCloud or any SCIM 2.0 provider.</EmptyState>
      ) : (
        <table className="table">
          <thead><tr><th scope="col">Directory</th><th scope="col">State</th><th scope="col">Created</th></tr></thead>
          <tbody>
            {directories.map((d) => (
              <tr key={d.id}>
                <td><Link className="row-link" to={`/directories/${d.id}`}>{d.name}</Link><div className="subtle">{d.typeLabel}</div></td>
                <td><DirectoryStateBadge state={d.state} /></td>
                <td className="muted">{formatDate(d.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog open={adding} title={created ? 'Give these to the IT admin' : 'Add directory'} description={created ? 'The bearer token is shown only now. Portico keeps only a hash of it; you can rotate it later.' : `For ${organizationName}.`} onClose={close}
        footer={created ? <><Link className="btn" to={`/directories/${created.id}`} onClick={close}>Open directory</Link><button className="btn btn-primary" type="button" onClick={close}>Done</button></> : <><button className="btn" type="button" onClick={close}>Cancel</button><button className="btn btn-primary" type="submit" form="create-directory" disabled={state.loading}>{state.loading ? 'Creating…' : 'Create directory'}</button></>}>
        {created ? (
          <dl className="kv" style={{ gridTemplateColumns: '130px 1fr' }}>
            <dt>SCIM base URL</dt><dd className="copy-row"><code className="mono">{created.url}</code><CopyButton value={created.url} label="SCIM base URL" /></dd>
            <dt>Bearer token</dt><dd className="copy-row"><code className="mono" data-testid="scim-token">{created.token}</code><CopyButton value={created.token} label="bearer token" /></dd>
          </dl>
        ) : (
          <form id="create-directory" className="form" onSubmit={submit} noValidate>
            <FormError error={state.error} />
            <div className="field">
              <label htmlFor="directory-type">Directory provider</label>
              <select id="directory-type" className="select" value={type} onChange={(e) => setType(e.target.value)}>
                {DIRECTORY_TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
              </select>
            </div>
            <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} placeholder={`${organizationName} directory`} hint="Optional." error={readError(state.error)?.fields.name} />
          </form>
        )}
      </Dialog>
    </section>
  );
}
