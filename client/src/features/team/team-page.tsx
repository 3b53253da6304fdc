import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { ROLE_LABELS, ROLES, type Role } from '@portico/shared';
import { useCan, useCurrentViewer } from '../../app/viewer-context';
import { useConfirm } from '../../components/confirm-dialog';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { formatDate, initials } from '../../lib/format';
import { ChangeMemberRoleMutation, RemoveMemberMutation, ResendInvitationMutation, RevokeInvitationMutation, TeamQuery } from './api';
import { InviteMemberDialog } from './invite-member-dialog';
import { TeamDetailsCard } from './team-details-card';
import { NO_DEDUP } from '../../lib/apollo-context';


export function TeamPage() {
  const viewer = useCurrentViewer();
  const canManage = useCan('team:manage');
  const canEditDetails = useCan('team-details:edit');
  const { data, loading, error, refetch } = useQuery(TeamQuery, { fetchPolicy: 'cache-and-network', context: NO_DEDUP });
  const [inviting, setInviting] = useState(false);
  // One outcome at a time: a success toast clears the last failure's banner, and a new attempt clears it too.
  const [failure, setFailure] = useState<unknown>(null);
  const confirm = useConfirm();
  const toast = useToast();
  const [changeRole, roleState] = useMutation(ChangeMemberRoleMutation);
  const [removeMember] = useMutation(RemoveMemberMutation);
  const [resend, resendState] = useMutation(ResendInvitationMutation);
  const [revoke, revokeState] = useMutation(RevokeInvitationMutation);
  const workspace = data?.viewer?.workspace;

  /** Runs one action; a toast on success, its error as the page's banner on failure. */
  const attempt = async (action: () => Promise<{ data?: unknown } | null>, success: string) => {
    setFailure(null);
    const result = await action().catch((err: unknown) => { setFailure(err); return null; });
    if (result?.data) toast.success(success);
    return !!result?.data;
  };
  const succeeded = (message: string) => { setFailure(null); toast.success(message); };
  const remove = async (memberId: string, name: string) => {
    const ok = await confirm({ title: `Remove ${name} from ${viewer.workspace?.name ?? 'this workspace'}?`, body: 'They lose access to this workspace at once. You can invite them again later.', confirmLabel: 'Remove member' });
    if (ok && await attempt(() => removeMember({ variables: { memberId } }), `${name} was removed.`)) await refetch();
  };
  const onRoleChange = (memberId: string, name: string, role: Role) => attempt(() => changeRole({ variables: { memberId, role } }), `${name} is now ${ROLE_LABELS[role]}.`);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Team</h1>
          <p>Who can use the dashboard for {viewer.workspace?.name}, and what they can do.</p>
        </div>
        {canManage && <button className="btn btn-primary" type="button" onClick={() => setInviting(true)}>Invite team member</button>}
      </div>
      {!canManage && (
        <div className="alert alert-info" role="note">
          Your role is {viewer.role ? ROLE_LABELS[viewer.role] : 'not set'}. Only Admins can invite, change or remove team members.
        </div>
      )}
      <FormError error={failure} />
      {loading && !workspace ? <div className="card"><Loading /></div> : error && !workspace ? <div className="card"><ErrorState error={error} onRetry={() => refetch()} /></div> : workspace && (
        <>
          <TeamDetailsCard name={workspace.name} supportEmail={workspace.supportEmail ?? null} canEdit={canEditDetails} />
          <section className="card" aria-labelledby="members-title">
            <div className="card-header">
              <div><h2 id="members-title">Team members</h2><p>{workspace.members.totalCount} {workspace.members.totalCount === 1 ? 'member' : 'members'}</p></div>
            </div>
            <table className="table">
              <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">Joined</th>{canManage && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
              <tbody>
                {workspace.members.edges.map(({ node }) => (
                  <tr key={node.id} data-testid={`member-${node.user.email}`}>
                    <td>
                      <div className="person">
                        <span className="avatar" aria-hidden="true">{initials(node.user.name)}</span>
                        <div><div style={{ fontWeight: 550 }}>{node.user.name}{node.isViewer && <span className="subtle"> (you)</span>}</div><div className="subtle">{node.user.email}</div></div>
                      </div>
                    </td>
                    <td>
                      {canManage ? (
                        <select className="select" style={{ width: 140 }} aria-label={`Role of ${node.user.name}`} value={node.role} disabled={roleState.loading}
                          onChange={(e) => onRoleChange(node.id, node.user.name, e.target.value as Role)}>
                          {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                        </select>
                      ) : <span className="badge">{ROLE_LABELS[node.role]}</span>}
                    </td>
                    <td className="muted">{formatDate(node.createdAt)}</td>
                    {canManage && (
                      <td className="actions">
                        <button className="btn btn-sm btn-danger" type="button" aria-label={`Remove ${node.user.name}`} onClick={() => remove(node.id, node.user.name)}>Remove</button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="invitations-title">
            <div className="card-header">
              <div><h2 id="invitations-title">Pending invitations</h2><p>Links work for 7 days. Resending sends a new link; the old one stops working.</p></div>
            </div>
            {workspace.invitations.edges.length === 0 ? (
              <EmptyState title="No pending invitations">{canManage ? 'Invite a teammate to work on SSO and directories with you.' : 'Admins can invite teammates.'}</EmptyState>
            ) : (
              <table className="table">
                <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Sent</th>{canManage && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
                <tbody>
                  {workspace.invitations.edges.map(({ node }) => (
                    <tr key={node.id} data-testid={`invitation-${node.email}`}>
                      <td>{node.email}<div className="subtle">Invited by {node.invitedBy.name}</div></td>
                      <td><span className="badge">{ROLE_LABELS[node.role]}</span></td>
                      <td>
                        {node.status === 'EXPIRED' ? <span className="badge badge-danger">Expired</span> : <span className="badge badge-warning">Pending</span>}
                        <div className="subtle">{node.status === 'EXPIRED' ? 'Expired' : 'Expires'} {formatDate(node.expiresAt)}</div>
                      </td>
                      <td className="muted">{formatDate(node.lastSentAt)}{node.sendCount > 1 && <div className="subtle">Sent {node.sendCount} times</div>}</td>
                      {canManage && (
                        <td className="actions">
                          <button className="btn btn-sm" type="button" disabled={resendState.loading} onClick={() => attempt(() => resend({ variables: { id: node.id } }), `A new invitation was sent to ${node.email}.`)}>Resend</button>{' '}
                          <button className="btn btn-sm btn-danger" type="button" aria-label={`Revoke the invitation to ${node.email}`} disabled={revokeState.loading} onClick={async () => {
                            const ok = await confirm({ title: `Revoke the invitation to ${node.email}?`, body: 'The link in their email stops working. You can invite them again later.', confirmLabel: 'Revoke invitation' });
                            if (ok && await attempt(() => revoke({ variables: { id: node.id } }), `The invitation to ${node.email} was revoked.`)) await refetch();
                          }}>Revoke</button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
      <InviteMemberDialog open={inviting} onClose={() => setInviting(false)} onInvited={async (email) => { succeeded(`Invitation sent to ${email}.`); await refetch(); }} />
    </div>
  );
}
