import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useCurrentEnvironment } from '../../app/use-environment';
import { useCan } from '../../app/viewer-context';
import { useConfirm } from '../../components/confirm-dialog';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { readError } from '../../lib/errors';
import { CreateCustomAttributeMutation, CustomAttributesQuery, DeleteCustomAttributeMutation, UpdateCustomAttributeMutation } from './api';

const BUILT_IN = ['idp_id', 'email', 'first_name', 'last_name', 'state', 'groups'];

/** Configuration → Custom attributes: the standardized Directory Sync attributes this environment adds. */
export function CustomAttributesCard() {
  const environment = useCurrentEnvironment();
  const canConfigure = useCan('environment:configure');
  const { data, loading, error, refetch } = useQuery(CustomAttributesQuery, { variables: { environmentId: environment?.id ?? '' }, skip: !environment });
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState('string');
  const [create, createState] = useMutation(CreateCustomAttributeMutation, { refetchQueries: ['CustomAttributes'] });
  const [update, updateState] = useMutation(UpdateCustomAttributeMutation, { refetchQueries: ['CustomAttributes'] });
  const [remove, removeState] = useMutation(DeleteCustomAttributeMutation, { refetchQueries: ['CustomAttributes'] });
  const [renaming, setRenaming] = useState<{ id: string; key: string } | null>(null);
  const confirm = useConfirm();
  const toast = useToast();
  if (!environment) return null;
  const fields = readError(createState.error)?.fields ?? {};
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({ variables: { input: { environmentId: environment.id, key: key.trim(), label: label.trim(), type } } }).catch(() => null);
    if (result?.data) {
      toast.success(`Custom attribute ${result.data.createCustomAttribute.key} added. Map it on each directory’s Attribute mapping tab.`);
      setKey('');
      setLabel('');
    }
  };
  const attributes = data?.environment.customAttributes;
  return (
    <>
      <section className="card" aria-labelledby="custom-attributes-title">
        <div className="card-header">
          <div>
            <h2 id="custom-attributes-title">Custom attributes</h2>
            <p>Standardize more fields from your customers’ directories (e.g. manager). Each directory maps them to its own raw data; directory users then carry them in <code>custom_attributes</code>. Built in: {BUILT_IN.join(', ')}.</p>
          </div>
        </div>
        <FormError error={removeState.error} />
        {loading && !attributes ? <Loading /> : error && !attributes ? <ErrorState error={error} onRetry={() => refetch()} /> : !attributes?.length ? (
          <EmptyState title="No custom attributes yet">Add one below; then map it on each directory’s Attribute mapping tab.</EmptyState>
        ) : (
          <table className="table">
            <thead><tr><th scope="col">Key</th><th scope="col">Label</th><th scope="col">Type</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {attributes.map((a) => (
                <tr key={a.id}>
                  <td className="mono">{a.key}</td><td>{a.label}</td><td className="muted">{a.type}</td>
                  <td className="actions">
                    {canConfigure && <>
                      <button className="btn btn-sm btn-ghost" type="button" aria-label={`Rename ${a.key}`} onClick={() => {
                        updateState.reset();
                        setRenaming({ id: a.id, key: a.key });
                      }}>Rename</button>
                      <button className="btn btn-sm btn-danger" type="button" aria-label={`Delete ${a.key}`} onClick={async () => {
                        const ok = await confirm({ title: `Delete custom attribute ${a.key}?`, body: 'It disappears from every directory user’s custom_attributes, and from every directory’s attribute mapping.', confirmLabel: 'Delete attribute' });
                        if (!ok) return;
                        const result = await remove({ variables: { id: a.id } }).catch(() => null);
                        if (result?.data) toast.success(`Custom attribute ${a.key} deleted.`);
                      }}>Delete</button>
                    </>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canConfigure ? (
          <form className="card-body form" onSubmit={submit} noValidate style={{ borderTop: '1px solid var(--border)' }}>
            <FormError error={createState.error} />
            <div className="grid-2">
              <Field label="Key" value={key} onChange={(e) => setKey(e.target.value)} placeholder="manager" hint="Lower-case letters, digits and _." error={fields.key} />
              <Field label="Label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Manager" error={fields.label} />
            </div>
            <div className="field" style={{ maxWidth: 240 }}>
              <label htmlFor="attribute-type">Type</label>
              <select id="attribute-type" className="select" value={type} onChange={(e) => setType(e.target.value)}>
                <option value="string">String</option><option value="number">Number</option><option value="boolean">Boolean</option><option value="array">Array</option>
              </select>
            </div>
            <div className="form-actions"><button className="btn btn-primary" type="submit" disabled={createState.loading}>{createState.loading ? 'Adding…' : 'Add attribute'}</button></div>
          </form>
        ) : <div className="card-body muted">Only Admins and Developers can change custom attributes.</div>}
      </section>
      <RenameDialog attribute={renaming} error={readError(updateState.error)?.fields.key ?? readError(updateState.error)?.message} saving={updateState.loading}
        onClose={() => setRenaming(null)}
        onRename={async (next) => {
          const result = await update({ variables: { input: { id: renaming!.id, key: next } } }).catch(() => null);
          if (!result?.data) return;
          toast.success(`${renaming!.key} renamed to ${result.data.updateCustomAttribute.key}. Directory mappings follow it.`);
          setRenaming(null);
        }} />
    </>
  );
}

function RenameDialog({ attribute, error, saving, onClose, onRename }: { attribute: { key: string } | null; error?: string; saving: boolean; onClose: () => void; onRename: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [shownFor, setShownFor] = useState<{ key: string } | null>(null);
  if (attribute !== shownFor) {
    setShownFor(attribute);
    setKey(attribute?.key ?? '');
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim() === attribute?.key) return onClose();
    onRename(key.trim());
  };
  return (
    <Dialog open={attribute !== null} title={`Rename ${attribute?.key ?? ''}`} description="Directory mappings follow the attribute; apps reading custom_attributes see the new key." onClose={onClose}
      footer={<><button className="btn" type="button" onClick={onClose}>Cancel</button><button className="btn btn-primary" type="submit" form="rename-attribute" disabled={saving}>{saving ? 'Renaming…' : 'Rename'}</button></>}>
      <form id="rename-attribute" onSubmit={submit} noValidate>
        <Field label="Key" value={key} onChange={(e) => setKey(e.target.value)} hint="Lower-case letters, digits and _." error={error} data-autofocus />
      </form>
    </Dialog>
  );
}
