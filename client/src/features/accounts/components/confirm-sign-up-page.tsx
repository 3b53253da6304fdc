import { useEffect, useRef } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Loading } from '../../../components/states';
import { readError } from '../../../lib/errors';
import { applyTheme } from '../../../lib/theme';
import { ConfirmSignUpMutation } from '../api/mutations';
import { AuthLayout } from './auth-layout';

const REFUSALS: Record<string, { title: string; text: string; action: 'sign-in' | 'sign-up' }> = {
  NOT_FOUND: { title: 'Sign-up link not valid', text: 'This link is not a Portico sign-up link. Open the link from your email again, in full, or sign up again.', action: 'sign-up' },
  sign_up_link_expired: { title: 'Sign-up link expired', text: 'This link is too old. Sign up again to get a new one.', action: 'sign-up' },
  sign_up_link_used: { title: 'Account already created', text: 'This link was already used to create your account. Sign in instead.', action: 'sign-in' },
  CONFLICT: { title: 'You already have an account', text: 'An account with this email address already exists. Sign in instead.', action: 'sign-in' },
};

/** `/confirm-sign-up?token=…`, the link in the sign-up email: creates the account and lands in the dashboard. */
export function ConfirmSignUpPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const client = useApolloClient();
  const [confirm, { error }] = useMutation(ConfirmSignUpMutation);
  const sent = useRef(false);

  useEffect(() => {
    // Once only: React's strict mode runs effects twice, and a second call would meet a used link.
    if (!token || sent.current) return;
    sent.current = true;
    void confirm({ variables: { token } })
      .then(async ({ data }) => {
        if (!data) return;
        applyTheme(data.confirmSignUp.user.theme);
        await client.resetStore();
        navigate('/', { replace: true });
      })
      .catch(() => undefined);
  }, [token, confirm, client, navigate]);

  if (!token) return <AuthLayout title="Sign-up link incomplete">Open the link from your sign-up email again, in full.</AuthLayout>;
  if (!error) return <AuthLayout title="Creating your account…"><Loading label="Confirming your email…" /></AuthLayout>;
  const info = readError(error);
  const refusal = REFUSALS[info?.reason ?? ''] ?? REFUSALS[info?.code ?? ''];
  return (
    <AuthLayout title={refusal?.title ?? 'Your account could not be created'}>
      <div className="alert alert-danger" role="alert">{refusal?.text ?? info?.message}</div>
      {refusal?.action === 'sign-in'
        ? <Link className="btn btn-primary btn-block" to="/sign-in">Sign in</Link>
        : <Link className="btn btn-primary btn-block" to="/sign-up">Sign up again</Link>}
    </AuthLayout>
  );
}
