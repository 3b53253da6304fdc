import { Link } from 'react-router';
import { useEnvironmentKind } from '../../app/environment';
import { useCurrentViewer } from '../../app/viewer-context';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/states';

export function OverviewPage() {
  const viewer = useCurrentViewer();
  const { kind } = useEnvironmentKind();
  const environment = viewer.workspace?.environments.find((e) => e.kind === kind);
  if (!viewer.workspace || !environment) {
    return <div className="page"><EmptyState title="No workspace yet">Ask an Admin of your team to invite you again.</EmptyState></div>;
  }
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>{environment.name} overview</h1>
          <p>{viewer.workspace.name} · {kind === 'PRODUCTION' ? 'Live customers sign in here.' : 'Build and test your integration here.'}</p>
        </div>
      </div>
      <section className="card" aria-labelledby="client-id-title">
        <div className="card-header">
          <div>
            <h2 id="client-id-title">Client ID</h2>
            <p>Pass it as <code>client_id</code> to the authorization URL and the token exchange. It is specific to {environment.name}.</p>
          </div>
        </div>
        <div className="card-body copy-row">
          <code data-testid="client-id">{environment.clientId}</code>
          <CopyButton value={environment.clientId} label="client ID" />
        </div>
      </section>
      <section className="card" aria-labelledby="next-title">
        <div className="card-header"><h2 id="next-title">Next steps</h2></div>
        <div className="card-body">
          <ol style={{ margin: 0, paddingLeft: 18, display: 'grid', gap: 8 }}>
            <li><Link to="/configuration">Create an API key and add your redirect URI</Link> in Configuration.</li>
            <li>Point the WorkOS SDK at this server: <code>new WorkOS(apiKey, {'{'} apiHostname, https, port {'}'})</code>.</li>
            <li><Link to="/workspace/team">Invite your team</Link> so support engineers can debug sign-ins with you.</li>
            <li><Link to="/organizations">Add an organization</Link> and a SAML connection for your first customer.</li>
          </ol>
        </div>
      </section>
    </div>
  );
}
