import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { CopyButton } from '../../components/copy-button';
import { ErrorState, FormError, Loading } from '../../components/states';
import { SetTestIdentityProviderEnabledMutation, TestIdentityProviderQuery } from '../test-sign-in/api';

/** Configuration → the built-in test identity provider of a Staging environment, and the switch that turns it off. */
export function TestIdpCard({ environmentId, canConfigure }: { environmentId: string; canConfigure: boolean }) {
  const { data, loading, error, refetch } = useQuery(TestIdentityProviderQuery, { variables: { id: environmentId } });
  const [setEnabled, state] = useMutation(SetTestIdentityProviderEnabledMutation);
  const idp = data?.environment.testIdentityProvider;
  return (
    <section className="card" aria-labelledby="test-idp-title">
      <div className="card-header">
        <div><h2 id="test-idp-title">Test identity provider</h2><p>A SAML identity provider Portico runs for this environment, connected to the Test Organization, to try sign-ins and each dashboard error without a real IdP.</p></div>
        {idp?.available && idp.setUp && canConfigure && (
          <button className="btn" type="button" aria-pressed={idp.enabled} disabled={state.loading}
            onClick={() => setEnabled({ variables: { environmentId, enabled: !idp.enabled } }).then(() => refetch()).catch(() => null)}>
            {idp.enabled ? 'Turn off' : 'Turn on'}
          </button>
        )}
      </div>
      <div className="card-body stack">
        {loading && !data ? <Loading /> : error && !data ? <ErrorState error={error} onRetry={() => refetch()} /> : !idp?.available ? (
          <p className="muted">Not available in Production: the test identity provider signs in made-up users, so it exists only in Staging.</p>
        ) : !idp.setUp ? (
          <>
            <p data-testid="test-idp-status"><strong>Not set up.</strong> This environment has no Test Organization connected to it: it was not made yet, or it was deleted.</p>
            {state.data && !state.data.setTestIdentityProviderEnabled.setUp && (
              <p className="error" role="alert">The Test Organization could not be made: another organization of this environment uses its domain, example.com. Remove that domain, then set it up again.</p>
            )}
            <FormError error={state.error} />
            {canConfigure ? (
              <div><button className="btn btn-primary" type="button" disabled={state.loading}
                onClick={() => setEnabled({ variables: { environmentId, enabled: true } }).then(() => refetch()).catch(() => null)}>
                {state.loading ? 'Setting up…' : 'Set up the Test Organization'}
              </button></div>
            ) : <p className="muted">An Admin or Developer can set it up.</p>}
          </>
        ) : (
          <>
            <p data-testid="test-idp-status"><strong>{idp.enabled ? 'On' : 'Off'}.</strong> {idp.enabled ? 'Its login page signs in any user you pick or type.' : 'Its login page refuses every sign-in until it is turned on again.'}</p>
            <FormError error={state.error} />
            <dl className="kv" style={{ gridTemplateColumns: 'minmax(90px, 140px) 1fr' }}>
              {idp.connectionId && <><dt>Connection</dt><dd><Link to={`/connections/${idp.connectionId}`}>Test Organization’s connection</Link> — use “Test sign-in” there</dd></>}
              {idp.loginUrl && <><dt>Login page</dt><dd className="copy-row"><a href={idp.loginUrl} target="_blank" rel="noreferrer" style={{ overflowWrap: 'anywhere' }}>IdP-initiated sign-in</a><CopyButton value={idp.loginUrl} label="login page URL" /></dd></>}
              {idp.metadataUrl && <><dt>Metadata</dt><dd className="copy-row"><code className="mono" style={{ overflowWrap: 'anywhere' }}>{idp.metadataUrl}</code><CopyButton value={idp.metadataUrl} label="metadata URL" /></dd></>}
            </dl>
          </>
        )}
      </div>
    </section>
  );
}
