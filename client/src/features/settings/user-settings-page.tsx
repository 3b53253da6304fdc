import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { useCurrentViewer } from '../../app/viewer-context';
import { FormError } from '../../components/states';
import { useToast } from '../../components/toast';
import { UpdateNotificationSettingsMutation } from './api';

const SETTINGS = [
  { key: 'connectionActivity', label: 'Connection activity', hint: 'A connection is activated or deactivated, its IdP certificate expires in 30 or 7 days, its sign-ins start failing, or a webhook endpoint fails (Admins and Developers).' },
  { key: 'directoryActivity', label: 'Directory activity', hint: 'A directory is linked or unlinked, or its credentials stop working.' },
  { key: 'securityAlerts', label: 'Security alerts', hint: 'Changes to your team’s members and roles.' },
  { key: 'productUpdates', label: 'Product updates', hint: 'New features and release notes, about once a month.' },
] as const;

type Key = (typeof SETTINGS)[number]['key'];

export function UserSettingsPage() {
  const viewer = useCurrentViewer();
  const saved = viewer.user.notificationSettings;
  const pick = (from: Record<Key, boolean>) => Object.fromEntries(SETTINGS.map((s) => [s.key, from[s.key]])) as Record<Key, boolean>;
  const [values, setValues] = useState<Record<Key, boolean>>(() => pick(saved));
  const toast = useToast();
  const [save, { loading, error }] = useMutation(UpdateNotificationSettingsMutation);
  useEffect(() => setValues(pick(saved)), [saved]);
  const dirty = SETTINGS.some((s) => values[s.key] !== saved[s.key]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await save({ variables: { input: values } }).catch(() => null);
    if (result?.data) toast.success('Notification settings saved.');
  };

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>User Settings</h1>
          <p>Your profile and the emails Portico sends you.</p>
        </div>
      </div>
      <section className="card" aria-labelledby="profile-title">
        <div className="card-header">
          <div><h2 id="profile-title">Profile</h2></div>
        </div>
        <div className="card-body">
          <dl className="kv">
            <dt>Name</dt><dd>{viewer.user.name}</dd>
            <dt>Email</dt><dd>{viewer.user.email}</dd>
          </dl>
          <p className="subtle" style={{ marginTop: 16 }}>
            Your name and email can’t be changed from the dashboard yet. On this self-hosted Portico, the operator who runs it can change them in its database; ask your workspace Admin who that is.
          </p>
        </div>
      </section>
      <section className="card" aria-labelledby="notifications-title">
        <form onSubmit={submit}>
          <div className="card-header">
            <div>
              <h2 id="notifications-title">Email notifications</h2>
              <p>Sent to {viewer.user.email}.</p>
            </div>
          </div>
          <div className="card-body">
            <FormError error={error} />
            {SETTINGS.map((s) => (
              <div className="checkbox-row" key={s.key}>
                <input id={`n-${s.key}`} type="checkbox" checked={values[s.key]} aria-describedby={`n-${s.key}-hint`}
                  onChange={(e) => setValues({ ...values, [s.key]: e.target.checked })} />
                <div>
                  <label htmlFor={`n-${s.key}`} style={{ fontWeight: 550 }}>{s.label}</label>
                  <div id={`n-${s.key}-hint`} className="subtle">{s.hint}</div>
                </div>
              </div>
            ))}
            <div className="form-actions" style={{ marginTop: 12, alignItems: 'center' }}>
              {dirty && <span className="subtle">Unsaved changes</span>}
              <button className="btn btn-primary" type="submit" disabled={!dirty || loading}>{loading ? 'Saving…' : 'Save notification settings'}</button>
            </div>
          </div>
        </form>
      </section>
    </div>
  );
}
