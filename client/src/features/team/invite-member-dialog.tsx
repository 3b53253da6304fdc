import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from '@portico/shared';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { FormError } from '../../components/states';
import { readError } from '../../lib/errors';
import { InviteMemberMutation } from './api';

export function InviteMemberDialog({ open, onClose, onInvited }: { open: boolean; onClose: () => void; onInvited: (email: string) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('DEVELOPER');
  const [invite, { loading, error, reset }] = useMutation(InviteMemberMutation);
  const fields = readError(error)?.fields ?? {};

  const close = () => {
    setEmail('');
    setRole('DEVELOPER');
    reset();
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await invite({ variables: { input: { email, role } } }).catch(() => null);
    if (result?.data) {
      onInvited(result.data.inviteMember.email);
      close();
    }
  };

  return (
    <Dialog open={open} title="Invite team member" description="They get an email with a link that works for 7 days." onClose={close}
      footer={<><button className="btn" type="button" onClick={close}>Cancel</button><button className="btn btn-primary" type="submit" form="invite-form" disabled={loading}>{loading ? 'Sending…' : 'Send invitation'}</button></>}>
      <form id="invite-form" className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <Field label="Email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} required autoFocus />
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label" style={{ marginBottom: 6 }}>Role</legend>
          {ROLES.map((r) => (
            <label key={r} className="checkbox-row" style={{ cursor: 'pointer' }}>
              <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
              <span>
                <strong>{ROLE_LABELS[r]}</strong>
                <span className="subtle" style={{ display: 'block' }}>{ROLE_DESCRIPTIONS[r]}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </form>
    </Dialog>
  );
}
