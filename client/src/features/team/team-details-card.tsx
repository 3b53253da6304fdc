import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { Dialog } from '../../components/dialog';
import { useToast } from '../../components/toast';
import { Field } from '../../components/field';
import { FormError } from '../../components/states';
import { readError } from '../../lib/errors';
import { UpdateTeamDetailsMutation } from './api';

export function TeamDetailsCard({ name, supportEmail, canEdit }: { name: string; supportEmail: string | null; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ name, supportEmail: supportEmail ?? '' });
  const [update, { loading, error, reset }] = useMutation(UpdateTeamDetailsMutation);
  const toast = useToast();
  const fields = readError(error)?.fields ?? {};

  const open = () => {
    setForm({ name, supportEmail: supportEmail ?? '' });
    reset();
    setEditing(true);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await update({ variables: { input: { name: form.name, supportEmail: form.supportEmail || null } } }).catch(() => null);
    if (!result?.data) return;
    setEditing(false);
    toast.success('Team details saved.');
  };

  return (
    <section className="card" aria-labelledby="team-details-title">
      <div className="card-header">
        <div>
          <h2 id="team-details-title">Team details</h2>
          <p>The support email is the reply-to address of Admin Portal emails sent to your customers.</p>
        </div>
        {canEdit && <button className="btn" type="button" onClick={open}>Edit</button>}
      </div>
      <div className="card-body">
        <dl className="kv">
          <dt>Team name</dt><dd>{name}</dd>
          <dt>Support email</dt><dd>{supportEmail ?? <span className="muted">Not set</span>}</dd>
        </dl>
      </div>
      <Dialog open={editing} title="Edit team details" onClose={() => setEditing(false)}
        footer={<><button className="btn" type="button" onClick={() => setEditing(false)}>Cancel</button><button className="btn btn-primary" type="submit" form="team-details-form" disabled={loading}>{loading ? 'Saving…' : 'Save'}</button></>}>
        <form id="team-details-form" className="form" onSubmit={submit} noValidate>
          <FormError error={error} />
          <Field label="Team name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fields.name} required />
          <Field label="Support email" type="email" value={form.supportEmail} onChange={(e) => setForm({ ...form, supportEmail: e.target.value })} error={fields.supportEmail} hint="Leave empty to use no reply-to address." />
        </form>
      </Dialog>
    </section>
  );
}
