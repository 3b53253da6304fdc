import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { FormError } from '../../components/states';
import { readError } from '../../lib/errors';
import { CONNECTION_TYPES, CreateSsoConnectionMutation } from './api';
import { emptyIdpConfig, IdpConfigForm, idpConfigInput } from './idp-config-form';

export function CreateConnectionDialog({ open, organizationId, organizationName, onClose }: { open: boolean; organizationId: string; organizationName: string; onClose: () => void }) {
  const navigate = useNavigate();
  const [type, setType] = useState('OktaSAML');
  const [name, setName] = useState('');
  const [config, setConfig] = useState(emptyIdpConfig());
  const [create, state] = useMutation(CreateSsoConnectionMutation, { refetchQueries: ['Organization'] });
  const close = () => {
    setName('');
    setConfig(emptyIdpConfig());
    state.reset();
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({ variables: { input: { organizationId, connectionType: type, name: name.trim() || null, ...idpConfigInput(config) } } }).catch(() => null);
    if (result?.data) {
      close();
      navigate(`/connections/${result.data.createSsoConnection.id}`);
    }
  };
  return (
    <Dialog open={open} title="Add SAML connection" description={`For ${organizationName}. You can leave the identity provider’s details for later: the connection stays a draft.`} onClose={close}
      footer={<><button className="btn" type="button" onClick={close}>Cancel</button><button className="btn btn-primary" type="submit" form="create-connection" disabled={state.loading}>{state.loading ? 'Creating…' : 'Create connection'}</button></>}>
      <form id="create-connection" className="form" onSubmit={submit} noValidate>
        <FormError error={state.error} />
        <div className="field">
          <label htmlFor="connection-type">Identity provider</label>
          <select id="connection-type" className="select" value={type} onChange={(e) => setType(e.target.value)}>
            {CONNECTION_TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
          </select>
          <span className="hint">Sets the attribute mapping Portico starts from; you can edit it later.</span>
        </div>
        <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} placeholder={organizationName} hint="Optional; defaults to the organization’s name." error={readError(state.error)?.fields.name} />
        <IdpConfigForm value={config} onChange={setConfig} errors={readError(state.error)?.fields ?? {}} />
      </form>
    </Dialog>
  );
}
