import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../../gql';
import type { PortalIntent } from '../../gql/graphql';
import { useConfirm } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { Field } from '../../components/field';
import { ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { readError } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { NO_DEDUP } from '../../lib/apollo-context';

export const OrganizationPortalQuery = graphql(`
  query OrganizationPortal($id: ID!) {
    organization(id: $id) {
      id
      portalLinks { id intent status sentTo createdBy createdAt expiresAt openedAt }
      portalActions { id intent action actor subject createdAt }
    }
  }
`);

export const InvitePortalAdminMutation = graphql(`
  mutation InvitePortalAdmin($input: InvitePortalAdminInput!) { invitePortalAdmin(input: $input) { link portalLink { id } } }
`);

export const RevokePortalLinkMutation = graphql(`
  mutation RevokePortalLink($id: ID!) { revokePortalLink(id: $id) }
`);

const INTENTS: { value: PortalIntent; label: string }[] = [
  { value: 'SSO' as PortalIntent, label: 'Single sign-on (SAML)' },
  { value: 'CERTIFICATE_RENEWAL' as PortalIntent, label: 'SAML certificate renewal' },
  { value: 'DSYNC' as PortalIntent, label: 'Directory sync (not in the portal yet)' },
  { value: 'DOMAIN_VERIFICATION' as PortalIntent, label: 'Domain verification' },
];
const INTENT_LABELS: Record<string, string> = { SSO: 'SSO', DSYNC: 'Directory sync', DOMAIN_VERIFICATION: 'Domain verification', CERTIFICATE_RENEWAL: 'Certificate renewal' };
const STATUS_TONES: Record<string, string> = { ACTIVE: 'badge-success', COMPLETED: 'badge-info', EXPIRED: '', REVOKED: 'badge-danger' };
const ACTIONS: Record<string, string> = {
  link_generated: 'generated a link through the API', invite_created: 'created a setup link', invite_emailed: 'emailed the setup link', link_opened: 'The IT admin opened the portal',
  link_revoked: 'revoked a setup link', connection_created: 'chose the identity provider', connection_configured: 'saved the identity provider’s details',
  test_sign_in_started: 'started a test sign-in', test_sign_in_succeeded: 'completed a successful test sign-in', test_sign_in_failed: 'ran a test sign-in that failed',
  directory_created: 'chose the directory provider (SCIM endpoint and token created)', directory_provider_changed: 'switched the directory provider', directory_token_rotated: 'rotated the SCIM token',
  attribute_mapped: 'mapped a custom attribute', setup_completed: 'finished setup',
  domain_added: 'added a domain', domain_verified: 'verified a domain by its DNS record', domain_verification_failed: 'checked a domain’s DNS record, not verified yet',
};

const who = (actor: string | null, action: string) => (action === 'link_opened' ? '' : actor?.startsWith('key_') ? `API key ${actor}` : actor ?? 'The IT admin');

/** On an organization: "Invite IT admin" (a 30-day Admin Portal link, optionally emailed), its links, and the audit trail. */
export function AdminPortalCard({ organizationId }: { organizationId: string }) {
  const { data, loading, error, refetch } = useQuery(OrganizationPortalQuery, { variables: { id: organizationId }, context: NO_DEDUP });
  const [invite, inviteState] = useMutation(InvitePortalAdminMutation);
  const [revoke] = useMutation(RevokePortalLinkMutation);
  const [form, setForm] = useState({ intent: 'SSO' as PortalIntent, email: '' });
  const [created, setCreated] = useState<{ link: string; emailed: string | null } | null>(null);
  const confirm = useConfirm();
  const toast = useToast();
  const selectId = useId();
  const fields = readError(inviteState.error)?.fields ?? {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const res = await invite({ variables: { input: { organizationId, intent: form.intent, email: form.email.trim() || null } } }).catch(() => null);
    if (res?.data) {
      setCreated({ link: res.data.invitePortalAdmin.link, emailed: form.email.trim() || null });
      setForm((f) => ({ ...f, email: '' }));
      await refetch();
    }
  };
  const revokeLink = async (id: string, label: string) => {
    const ok = await confirm({ title: `Revoke the ${label} setup link?`, body: 'The IT admin can no longer open it, and a portal session opened from it ends. You can invite them again.', confirmLabel: 'Revoke link' });
    if (!ok) return;
    await revoke({ variables: { id } }).then(
      async () => { await refetch(); toast.success(`${label} setup link revoked.`); },
      (err) => toast.error(readError(err)?.message ?? 'The link could not be revoked.'),
    );
  };

  return (
    <section className="card" aria-labelledby="portal-card-title">
      <div className="card-header">
        <div>
          <h2 id="portal-card-title">Admin Portal</h2>
          <p>Let the organization’s IT admin set up SSO themselves: a setup link valid for 30 days or until setup completes. One live link per purpose; a new one replaces it.</p>
        </div>
      </div>
      <div className="card-body stack">
        <form className="portal-invite-form" onSubmit={submit} noValidate aria-label="Invite IT admin">
          <div className="field">
            <label htmlFor={selectId}>Purpose</label>
            <select id={selectId} className="input" value={form.intent} onChange={(e) => setForm((f) => ({ ...f, intent: e.target.value as PortalIntent }))}>
              {INTENTS.map((i) => <option key={i.value} value={i.value}>{i.label}</option>)}
            </select>
          </div>
          <Field label="IT admin’s email (optional)" type="email" value={form.email} onChange={(e) => setForm((f) => ({ ...f, email: e.target.value }))} placeholder="it@customer.com" hint="We email the link; replies go to your team’s support email." error={fields.email} />
          <div className="form-actions"><button className="btn btn-primary" type="submit" disabled={inviteState.loading}>{inviteState.loading ? 'Creating…' : 'Invite IT admin'}</button></div>
        </form>
        {!Object.keys(fields).length && <FormError error={inviteState.error} />}
        {created && (
          <div className="alert alert-success stack" role="status">
            <span>{created.emailed ? `Emailed to ${created.emailed}. ` : ''}Copy the link now: it is shown once.</span>
            <div className="copy-row"><code className="portal-invite-link">{created.link}</code><CopyButton value={created.link} label="setup link" /></div>
          </div>
        )}
        {loading && !data ? <Loading /> : error && !data ? <ErrorState error={error} onRetry={() => refetch()} /> : (
          <>
            <h3>Setup links</h3>
            {!data!.organization.portalLinks.length ? <p className="muted">No setup links yet.</p> : (
              <div className="table-wrap">
                <table className="table">
                  <thead><tr><th scope="col">Purpose</th><th scope="col">Sent to</th><th scope="col">Status</th><th scope="col">Expires</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>
                    {data!.organization.portalLinks.map((l) => (
                      <tr key={l.id}>
                        <td>{INTENT_LABELS[l.intent] ?? l.intent}<div className="subtle">Created {formatDate(l.createdAt)}{l.createdBy ? ` by ${l.createdBy}` : ''}</div></td>
                        <td>{l.sentTo ?? <span className="muted">Not emailed</span>}</td>
                        <td><span className={`badge ${STATUS_TONES[l.status] ?? ''}`}>{l.status.charAt(0) + l.status.slice(1).toLowerCase()}</span>{l.openedAt && <div className="subtle">Opened {formatDate(l.openedAt)}</div>}</td>
                        <td className="muted">{formatDate(l.expiresAt)}</td>
                        <td>{l.status === 'ACTIVE' && <button type="button" className="btn btn-sm btn-danger" onClick={() => revokeLink(l.id, INTENT_LABELS[l.intent] ?? l.intent)} aria-label={`Revoke the ${INTENT_LABELS[l.intent] ?? l.intent} setup link`}>Revoke</button>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <h3>Audit trail</h3>
            {!data!.organization.portalActions.length ? <p className="muted">Nothing has happened in the Admin Portal yet.</p> : (
              <ol className="timeline" aria-label="Admin Portal audit trail">
                {data!.organization.portalActions.map((a) => (
                  <li key={a.id}><span>{who(a.actor, a.action)} {ACTIONS[a.action] ?? a.action}{a.subject && <>: <span className="mono">{a.subject}</span></>} <span className="subtle">({INTENT_LABELS[a.intent] ?? a.intent})</span></span> <time className="subtle" dateTime={a.createdAt}>{formatDateTime(a.createdAt)}</time></li>
                ))}
              </ol>
            )}
          </>
        )}
      </div>
    </section>
  );
}
