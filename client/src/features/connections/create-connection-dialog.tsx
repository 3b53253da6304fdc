import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { FormError } from '../../components/states';
import { readError } from '../../lib/errors';
import { CONNECTION_TYPES, CreateOidcConnectionMutation, CreateSsoConnectionMutation, OIDC_CONNECTION_TYPES } from './api';
import { emptyIdpConfig, IdpConfigForm, idpConfigInput } from './idp-config-form';
import { emptyOidcConfig, OidcConfigForm, oidcConfigInput } from './oidc-config-form';

type Protocol = 'saml' | 'oidc';

export function CreateConnectionDialog({ open, organizationId, organizationName, onClose }: { open: boolean; organizationId: string; organizationName: string; onClose: () => void }) {
  const navigate = useNavigate();
  const [protocol, setProtocol] = useState<Protocol>('saml');
  const [type, setType] = useState('OktaSAML');
  const [name, setName] = useState('');
  const [config, setConfig] = useState(emptyIdpConfig());
  const [oidc, setOidc] = useState(emptyOidcConfig());
  const [createSaml, samlState] = useMutation(CreateSsoConnectionMutation, { refetchQueries: ['Organization'] });
  const [createOidc, oidcState] = useMutation(CreateOidcConnectionMutation, { refetchQueries: ['Organization'] });
  const state = protocol === 'saml' ? samlState : oidcState;
  const close = () => {
    setName('');
    setConfig(emptyIdpConfig());
    setOidc(emptyOidcConfig());
    samlState.reset();
    oidcState.reset();
    onClose();
  };
  const choose = (next: Protocol) => {
    setProtocol(next);
    setType(next === 'saml' ? 'OktaSAML' : 'OktaOIDC');
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const common = { organizationId, connectionType: type, name: name.trim() || null };
    const id = protocol === 'saml'
      ? (await createSaml({ variables: { input: { ...common, ...idpConfigInput(config) } } }).catch(() => null))?.data?.createSsoConnection.id
      : (await createOidc({ variables: { input: { ...common, ...oidcConfigInput(oidc) } } }).catch(() => null))?.data?.createOidcConnection.id;
    if (id) {
      close();
      navigate(`/connections/${id}`);
    }
  };
  const types = protocol === 'saml' ? CONNECTION_TYPES : OIDC_CONNECTION_TYPES;
  const fields = readError(state.error)?.fields ?? {};
  return (
    <Dialog open={open} title="Add connection" description={`For ${organizationName}. You can leave the identity provider’s details for later: the connection stays a draft.`} onClose={close}
      footer={<><button className="btn" type="button" onClick={close}>Cancel</button><button className="btn btn-primary" type="submit" form="create-connection" disabled={state.loading}>{state.loading ? 'Creating…' : 'Create connection'}</button></>}>
      <form id="create-connection" className="form" onSubmit={submit} noValidate>
        <FormError error={state.error} />
        <div className="segmented" role="group" aria-label="Protocol">
          <button type="button" aria-pressed={protocol === 'saml'} onClick={() => choose('saml')}>SAML</button>
          <button type="button" aria-pressed={protocol === 'oidc'} onClick={() => choose('oidc')}>OpenID Connect</button>
        </div>
        <div className="field">
          <label htmlFor="connection-type">Identity provider</label>
          <select id="connection-type" className="select" value={type} onChange={(e) => setType(e.target.value)}>
            {types.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
          </select>
          <span className="hint">Sets the {protocol === 'saml' ? 'attribute' : 'claim'} mapping Portico starts from; you can edit it later.</span>
        </div>
        <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} placeholder={organizationName} hint="Optional; defaults to the organization’s name." error={fields.name} />
        {protocol === 'saml'
          ? <IdpConfigForm value={config} onChange={setConfig} errors={fields} />
          : <OidcConfigForm value={oidc} onChange={setOidc} errors={fields} redirectUri={`${window.location.origin}/sso/oauth/callback`} />}
      </form>
    </Dialog>
  );
}
