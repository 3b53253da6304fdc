import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PASSWORD_POLICY, ROLE_DESCRIPTIONS, ROLE_LABELS } from '@portico/shared';
import { Field } from '../../../components/field';
import { ErrorState, FormError, Loading } from '../../../components/states';
import { readError } from '../../../lib/errors';
import { AcceptInvitationMutation, InvitationPreviewQuery, SignOutMutation } from '../api/mutations';
import { ViewerQuery } from '../api/viewer';
import { AuthLayout } from './auth-layout';

const STATUS_TEXT = {
  EXPIRED: 'This invitation has expired. Ask an Admin of the workspace to send a new one.',
  ACCEPTED: 'This invitation was already accepted.',
  REVOKED: 'This invitation was revoked by an Admin of the workspace.',
} as const;

export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const preview = useQuery(InvitationPreviewQuery, { variables: { token }, skip: !token });
  const viewer = useQuery(ViewerQuery);
  const client = useApolloClient();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', password: '' });
  const [accept, acceptState] = useMutation(AcceptInvitationMutation);
  const [signOut] = useMutation(SignOutMutation);
  const fields = readError(acceptState.error)?.fields ?? {};

  if (!token) return <AuthLayout title="Invitation link incomplete">Open the link from your invitation email again, in full.</AuthLayout>;
  if (preview.loading || viewer.loading) return <AuthLayout title="Checking your invitation…"><Loading /></AuthLayout>;
  if (readError(preview.error)?.code === 'NOT_FOUND') {
    return <AuthLayout title="Invitation not found">This link is not valid. It may have been replaced by a newer invitation email; use the latest one.</AuthLayout>;
  }
  if (preview.error || !preview.data) return <AuthLayout title="Invitation"><ErrorState error={preview.error} onRetry={() => preview.refetch()} /></AuthLayout>;

  const invitation = preview.data.invitationPreview;
  const signedIn = viewer.data?.viewer;
  const role = ROLE_LABELS[invitation.role];
  const title = `Join ${invitation.workspaceName}`;
  const subtitle = <>{invitation.invitedByName} invited <strong>{invitation.email}</strong> as <strong>{role}</strong>: {ROLE_DESCRIPTIONS[invitation.role]}</>;

  if (invitation.status !== 'PENDING') return <AuthLayout title={title}><div className="alert">{STATUS_TEXT[invitation.status]}</div></AuthLayout>;

  const join = async (input: { token: string; name?: string; password?: string }) => {
    const { data } = await accept({ variables: { input } }).catch(() => ({ data: null }));
    if (!data) return;
    await client.resetStore();
    navigate('/workspace/team', { replace: true });
  };

  if (signedIn && signedIn.user.email !== invitation.email) {
    return (
      <AuthLayout title={title} subtitle={subtitle}>
        <div className="alert" role="alert">You are signed in as {signedIn.user.email}. This invitation is for {invitation.email}.</div>
        <button className="btn btn-block" type="button" onClick={async () => { await signOut(); await client.resetStore(); }}>
          Sign out and continue as {invitation.email}
        </button>
      </AuthLayout>
    );
  }
  if (signedIn) {
    return (
      <AuthLayout title={title} subtitle={subtitle}>
        <FormError error={acceptState.error} />
        <button className="btn btn-primary btn-block" type="button" disabled={acceptState.loading} onClick={() => join({ token })}>
          {acceptState.loading ? 'Joining…' : `Join ${invitation.workspaceName}`}
        </button>
      </AuthLayout>
    );
  }
  if (invitation.accountExists) {
    const next = `/invitations/accept?token=${encodeURIComponent(token)}`;
    return (
      <AuthLayout title={title} subtitle={subtitle}>
        <p className="muted">You already have a Portico account. Sign in as {invitation.email} to accept.</p>
        <Link className="btn btn-primary btn-block" to={`/sign-in?email=${encodeURIComponent(invitation.email)}&next=${encodeURIComponent(next)}`}>
          Sign in to accept
        </Link>
      </AuthLayout>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void join({ token, ...form });
  };
  return (
    <AuthLayout title={title} subtitle={subtitle}>
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={acceptState.error} />
        <Field label="Email" value={invitation.email} readOnly hint="The address the invitation was sent to." />
        <Field label="Your name" autoComplete="name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fields.name} autoFocus />
        <Field label="Password" type="password" autoComplete="new-password" required value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} hint={PASSWORD_POLICY.summary} error={fields.password} />
        <button className="btn btn-primary btn-block" type="submit" disabled={acceptState.loading}>
          {acceptState.loading ? 'Creating account…' : 'Create account and join'}
        </button>
      </form>
    </AuthLayout>
  );
}
