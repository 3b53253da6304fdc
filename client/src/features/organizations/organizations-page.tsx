import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { domainProblems } from '@portico/shared';
import { useCurrentEnvironment } from '../../app/use-environment';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useFieldErrors } from '../../lib/use-field-errors';
import { formatDate } from '../../lib/format';
import { ConnectionStateBadge } from '../connections/badges';
import { CreateOrganizationMutation, OrganizationsQuery } from './api';

export function OrganizationsPage() {
  const environment = useCurrentEnvironment();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const { data, loading, error, refetch, fetchMore } = useQuery(OrganizationsQuery, {
    variables: { environmentId: environment?.id ?? '', search: debounced || null },
    skip: !environment,
  });
  if (!environment) return <div className="page"><EmptyState title="No workspace yet" /></div>;
  const page = data?.environment.organizations;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Organizations</h1>
          <p>Your customers in {environment.name}. Each has the email domains it owns and the connections its users sign in through.</p>
        </div>
        <button className="btn btn-primary" type="button" onClick={() => setCreating(true)}>Create organization</button>
      </div>
      <section className="card" aria-label="Organizations">
        <div className="toolbar">
          <label className="visually-hidden" htmlFor="org-search">Search organizations</label>
          <input id="org-search" className="input" type="search" placeholder="Search by name, domain or ID" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        {loading && !page ? <Loading /> : error && !page ? <ErrorState error={error} onRetry={() => refetch()} /> : !page?.edges.length ? (
          debounced ? <EmptyState title="No matches">No organization in {environment.name} matches “{debounced}”.</EmptyState> : (
            <EmptyState title="No organizations yet" action={<button className="btn btn-primary" type="button" onClick={() => setCreating(true)}>Create your first organization</button>}>
              Create one for each customer that will sign in with SAML, or create them from your code with <code>workos.organizations.createOrganization()</code>.
            </EmptyState>
          )
        ) : (
          <>
            <table className="table">
              <thead><tr><th scope="col">Name</th><th scope="col">Domains</th><th scope="col">Connections</th><th scope="col">Created</th></tr></thead>
              <tbody>
                {page.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td><Link className="row-link" to={`/organizations/${node.id}`}>{node.name}</Link><div className="subtle mono">{node.id}</div></td>
                    <td className="muted">{node.domains.length ? node.domains.map((d) => d.domain).join(', ') : '—'}</td>
                    <td>{node.ssoConnections.length ? <span className="chips">{node.ssoConnections.map((c) => <ConnectionStateBadge key={c.id} state={c.state} />)}</span> : <span className="muted">None</span>}</td>
                    <td className="muted">{formatDate(node.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page.pageInfo.hasNextPage && (
              <div className="pager"><button className="btn" type="button" onClick={() => fetchMore({ variables: { after: page.pageInfo.endCursor }, updateQuery: (prev, { fetchMoreResult }) => ({ ...fetchMoreResult, environment: { ...fetchMoreResult.environment, organizations: { ...fetchMoreResult.environment.organizations, edges: [...prev.environment.organizations.edges, ...fetchMoreResult.environment.organizations.edges] } } }) })}>Load more</button></div>
            )}
          </>
        )}
      </section>
      <CreateOrganizationDialog open={creating} environmentId={environment.id} onClose={() => setCreating(false)} />
    </div>
  );
}

function CreateOrganizationDialog({ open, environmentId, onClose }: { open: boolean; environmentId: string; onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [domains, setDomains] = useState('');
  const [create, state] = useMutation(CreateOrganizationMutation, { refetchQueries: ['Organizations'] });
  const list = domains.split(/[\s,]+/).map((d) => d.trim()).filter(Boolean);
  const localProblem = list.map((d) => domainProblems(d)[0]?.message).find(Boolean);
  const { fields: serverErrors, formError, edited } = useFieldErrors(state.error);
  const close = () => {
    setName('');
    setDomains('');
    state.reset();
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (localProblem) return;
    const result = await create({ variables: { input: { environmentId, name, domains: list } } }).catch(() => null);
    if (result?.data) {
      close();
      navigate(`/organizations/${result.data.createOrganization.id}`);
    }
  };
  return (
    <Dialog open={open} title="Create organization" description="A customer whose users will sign in through SSO." onClose={close}
      footer={<><button className="btn" type="button" onClick={close}>Cancel</button><button className="btn btn-primary" type="submit" form="create-org" disabled={state.loading}>{state.loading ? 'Creating…' : 'Create organization'}</button></>}>
      <form id="create-org" className="form" onSubmit={submit} noValidate>
        <FormError error={formError} />
        <Field label="Name" value={name} onChange={(e) => { setName(e.target.value); edited('name'); }} error={serverErrors.name} required autoFocus placeholder="Acme Corp" />
        <Field label="User email domains" value={domains} onChange={(e) => { setDomains(e.target.value); edited('domains'); }} placeholder="acme.com, acme.co.uk"
          hint="Separate with commas. Only users with these email domains may sign in, unless you allow profiles outside the organization."
          error={localProblem ?? Object.entries(serverErrors).find(([k]) => k.startsWith('domains'))?.[1]} />
      </form>
    </Dialog>
  );
}
