import { useState } from 'react';
import { portalApi, usePortalQuery, type PortalError } from './api';
import { DIRECTORY_GUIDES, DIRECTORY_ORDER, type DirectoryProviderKey } from './directory-guides';
import { Loading } from './portal-app';
import { CopyValue, Finish, Step } from './sso-setup-page';
import { BusyButton } from '../components/busy-button';

/** GET /portal/api/dsync (server: presentDsyncSetup); `token` only in the answer that created or rotated it. */
export interface DsyncSetup {
  directory: null | {
    id: string;
    name: string;
    provider: DirectoryProviderKey;
    type: string;
    state: 'linked' | 'unlinked' | 'invalid_credentials';
    scimBaseUrl: string;
    tokenLastFour: string;
    tokenRotatedAt: string;
    createdAt: string;
    providerLocked: boolean;
  };
  token?: string;
  counts?: { users: number; activeUsers: number; groups: number };
  users?: { id: string; userName: string; email: string | null; firstName: string | null; lastName: string | null; state: 'active' | 'inactive'; createdAt: string; groups: string[] }[];
  groups?: { id: string; name: string; members: number; createdAt: string }[];
  customAttributes?: { id: string; key: string; label: string; type: string; path: string | null }[];
  rawAttributePaths?: { path: string; sample: string; users: number }[];
}

type Directory = NonNullable<DsyncSetup['directory']>;

/** How often the page asks for new users and groups while the provider provisions. */
export const POLL_MS = 3000;

const STATE_BADGES: Record<Directory['state'], { label: string; tone: string }> = {
  unlinked: { label: 'Waiting for your provider', tone: 'badge-warning' },
  linked: { label: 'Connected', tone: 'badge-success' },
  invalid_credentials: { label: 'Your provider is using an old token', tone: 'badge-danger' },
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function ChooseProvider({ directory, onChosen }: { directory: Directory | null; onChosen: (s: DsyncSetup) => void }) {
  const [busy, setBusy] = useState<DirectoryProviderKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choose = async (provider: DirectoryProviderKey) => {
    setBusy(provider);
    setError(null);
    try {
      onChosen(await portalApi<DsyncSetup>('POST', '/dsync/provider', { provider }));
    } catch (e) {
      setError((e as PortalError).message);
    } finally {
      setBusy(null);
    }
  };
  const locked = directory?.providerLocked ?? false;
  return (
    <>
      <p className="muted">Which directory do your employees’ accounts live in? Portico receives them over SCIM 2.0.</p>
      <div className="portal-idps" role="group" aria-label="Directory provider">
        {DIRECTORY_ORDER.map((p) => (
          <BusyButton key={p} className="portal-idp" aria-pressed={directory?.provider === p} disabled={locked} busy={busy !== null} onClick={() => choose(p)}>
            {DIRECTORY_GUIDES[p].name}{busy === p && <span className="visually-hidden"> (saving)</span>}
          </BusyButton>
        ))}
      </div>
      {locked && <p className="subtle">{DIRECTORY_GUIDES[directory!.provider].name} is already connected; switching provider is done by the application team.</p>}
      {error && <div className="alert alert-danger" role="alert">{error}</div>}
    </>
  );
}

/** The token: in full once (right after it was made), afterwards only its last characters and "Rotate". */
function TokenValue({ directory, token, label, onRotated }: { directory: Directory; token: string | null; label: string; onRotated: (s: DsyncSetup) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rotate = async () => {
    setBusy(true);
    setError(null);
    try {
      onRotated(await portalApi<DsyncSetup>('POST', '/dsync/token', {}));
      setConfirming(false);
    } catch (e) {
      setError((e as PortalError).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack portal-token">
      {token ? (
        <>
          <CopyValue label={label} value={token} />
          <p className="alert alert-info" role="status">Copy the token now and paste it into {DIRECTORY_GUIDES[directory.provider].name}: it is shown only once. If you lose it, rotate it to get a new one.</p>
        </>
      ) : (
        <div className="portal-copy">
          <span className="label">{label}</span>
          <p>Token ending in <code>…{directory.tokenLastFour}</code>, created {when(directory.tokenRotatedAt)}. It is shown only when it is made.</p>
        </div>
      )}
      {confirming ? (
        <div className="portal-confirm stack" role="group" aria-labelledby="rotate-q">
          <p id="rotate-q"><strong>Rotate the token?</strong> The current token stops working at once: {DIRECTORY_GUIDES[directory.provider].name} can’t sync until you paste the new one there.</p>
          <div className="portal-actions">
            <BusyButton className="btn btn-danger" busy={busy} busyLabel="Rotating…" onClick={rotate}>Rotate now</BusyButton>
            <BusyButton className="btn" busy={busy} onClick={() => setConfirming(false)}>Cancel</BusyButton>
          </div>
        </div>
      ) : (
        <div><button type="button" className="btn btn-sm" onClick={() => setConfirming(true)}>Rotate token</button></div>
      )}
      {error && <div className="alert alert-danger" role="alert">{error}</div>}
    </div>
  );
}

function ConnectProvider({ directory, token, onRotated }: { directory: Directory; token: string | null; onRotated: (s: DsyncSetup) => void }) {
  const guide = DIRECTORY_GUIDES[directory.provider];
  return (
    <ol className="portal-list portal-wrap">
      {guide.create.map((s) => <li key={s}>{s}</li>)}
      <li>
        {guide.connect}
        <div className="stack portal-values">
          <CopyValue label={guide.urlLabel} value={directory.scimBaseUrl} />
          <TokenValue directory={directory} token={token} label={guide.tokenLabel} onRotated={onRotated} />
        </div>
      </li>
      <li>{guide.attributes}</li>
      <li>{guide.assign}</li>
    </ol>
  );
}

function Arrivals({ setup }: { setup: DsyncSetup }) {
  const d = setup.directory!;
  const counts = setup.counts ?? { users: 0, activeUsers: 0, groups: 0 };
  const users = setup.users ?? [];
  const groups = setup.groups ?? [];
  return (
    <>
      {d.state === 'invalid_credentials' && <div className="alert alert-danger" role="alert">{DIRECTORY_GUIDES[d.provider].name} is still sending the token you rotated out. Paste the new token there (field “{DIRECTORY_GUIDES[d.provider].tokenLabel}”).</div>}
      <p className="muted" aria-live="polite">
        {counts.users === 0 && counts.groups === 0
          ? `Waiting for ${DIRECTORY_GUIDES[d.provider].name}: users and groups appear here within seconds of it sending them.`
          : `${plural(counts.users, 'user')} (${counts.activeUsers.toLocaleString()} active) and ${plural(counts.groups, 'group')} received.`}
      </p>
      <dl className="stats portal-stats">
        <div className="stat"><dt>Users</dt><dd><span className="stat-value">{counts.users.toLocaleString()}</span></dd></div>
        <div className="stat"><dt>Active</dt><dd><span className="stat-value">{counts.activeUsers.toLocaleString()}</span></dd></div>
        <div className="stat"><dt>Groups</dt><dd><span className="stat-value">{counts.groups.toLocaleString()}</span></dd></div>
      </dl>
      {users.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="portal-caption">Latest users</caption>
            <thead><tr><th scope="col">User</th><th scope="col">State</th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>
                    <strong>{[u.firstName, u.lastName].filter(Boolean).join(' ') || u.userName}</strong>
                    <div className="subtle portal-wrap">{u.email ?? u.userName}</div>
                    <div className="portal-break">{u.groups.length ? <>Groups: {u.groups.join(', ')}</> : <span className="subtle">No groups</span>}</div>
                  </td>
                  <td><span className={`badge ${u.state === 'active' ? 'badge-success' : ''}`}>{u.state === 'active' ? 'Active' : 'Inactive'}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {groups.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="portal-caption">Latest groups</caption>
            <thead><tr><th scope="col">Group</th><th scope="col">Members</th></tr></thead>
            <tbody>{groups.map((g) => <tr key={g.id}><td className="portal-break"><strong>{g.name}</strong></td><td>{g.members.toLocaleString()}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </>
  );
}

function AttributeMapping({ setup, onSaved }: { setup: DsyncSetup; onSaved: (s: DsyncSetup) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const attributes = setup.customAttributes ?? [];
  const paths = setup.rawAttributePaths ?? [];
  const map = async (id: string, key: string, path: string | null) => {
    setBusy(id);
    setErrors((e) => ({ ...e, [id]: '' }));
    setSaved(null);
    try {
      onSaved(await portalApi<DsyncSetup>('PUT', `/dsync/attributes/${encodeURIComponent(id)}`, { path }));
      setSaved(path ? `${key} now comes from ${path}.` : `${key} is no longer mapped.`);
    } catch (e) {
      const err = e as PortalError;
      setErrors((x) => ({ ...x, [id]: err.fields.path ?? err.message }));
    } finally {
      setBusy(null);
    }
  };
  if (!paths.length) return <p className="muted">Once users have arrived, choose here which of their attributes fills each of these: {attributes.map((a) => a.label).join(', ')}.</p>;
  return (
    <>
      <p className="muted">The application asks for these attributes. Choose which attribute of your users fills each one; every user is updated.</p>
      <div className="stack">
        {attributes.map((a) => (
          <div className="field" key={a.id}>
            <label htmlFor={`map-${a.id}`}>{a.label} <span className="subtle mono">({a.key})</span></label>
            <select id={`map-${a.id}`} className="select" value={a.path ?? ''} disabled={busy !== null} aria-invalid={errors[a.id] ? true : undefined} aria-describedby={errors[a.id] ? `map-${a.id}-error` : undefined}
              onChange={(e) => map(a.id, a.key, e.target.value || null)}>
              <option value="">Not mapped</option>
              {a.path && !paths.some((p) => p.path === a.path) && <option value={a.path}>{a.path}</option>}
              {paths.map((p) => <option key={p.path} value={p.path}>{p.path} — e.g. {p.sample}</option>)}
            </select>
            {errors[a.id] && <span id={`map-${a.id}-error`} className="error">{errors[a.id]}</span>}
          </div>
        ))}
      </div>
      {saved && <p className="alert alert-success" role="status">{saved}</p>}
    </>
  );
}

/**
 * The Directory Sync intent: choose the provider → its steps with the SCIM URL and the token (shown once) →
 * users and groups arriving live → custom attributes → finish once the first users are in.
 */
export function DirectorySyncPage() {
  const setup = usePortalQuery<DsyncSetup>('/dsync', { pollMs: POLL_MS });
  // The token lives only in this page's memory: polling never brings it back.
  const [token, setToken] = useState<string | null>(null);
  const take = (s: DsyncSetup) => {
    if (s.token) setToken(s.token);
    setup.setData(s);
  };
  if (setup.loading && !setup.data) return <Loading label="Loading your setup…" />;
  if (setup.error && !setup.data) return <div className="alert alert-danger" role="alert">{setup.error.message} <button type="button" className="btn btn-sm" onClick={setup.reload}>Try again</button></div>;
  const data = setup.data!;
  const directory = data.directory;
  const badge = directory ? STATE_BADGES[directory.state] : null;
  const provisioned = Boolean(directory && directory.state === 'linked' && (data.counts?.users ?? 0) > 0);
  const name = directory ? DIRECTORY_GUIDES[directory.provider].name : '';
  let n = 3;
  return (
    <div className="stack portal-steps">
      {badge && <p className="portal-status">Directory status: <span className={`badge ${badge.tone}`}>{badge.label}</span></p>}
      {setup.error && <div className="alert alert-danger" role="alert">{setup.error.status === 401 ? 'Your setup session has ended: new users no longer show here. Ask the application for a new setup link.' : `Could not refresh: ${setup.error.message}`}</div>}
      <Step n={1} id="step-provider" title="Choose your directory provider" done={Boolean(directory)}>
        <ChooseProvider directory={directory} onChosen={take} />
      </Step>
      {directory && (
        <>
          <Step n={2} id="step-connect" title={`Connect ${name}`} done={directory.state === 'linked'}>
            <ConnectProvider directory={directory} token={token} onRotated={take} />
          </Step>
          <Step n={n++} id="step-arrivals" title="Users and groups arriving" done={provisioned}>
            <Arrivals setup={data} />
          </Step>
          {(data.customAttributes?.length ?? 0) > 0 && (
            <Step n={n++} id="step-attributes" title="Map custom attributes">
              <AttributeMapping setup={data} onSaved={take} />
            </Step>
          )}
          {provisioned && (
            <Step n={n++} id="step-finish" title="Finish">
              <p className="muted">{name} is sending users. Finish to tell the application team and go back to the app; provisioning goes on after you leave.</p>
              <Finish />
            </Step>
          )}
        </>
      )}
    </div>
  );
}
