import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Field } from '../../../components/field';
import { FormError } from '../../../components/states';
import { readError } from '../../../lib/errors';
import { applyTheme } from '../../../lib/theme';
import { ConfirmSignUpMutation } from '../api/mutations';
import { AuthLayout } from './auth-layout';

const REFUSALS: Record<string, { title: string; text: string; action: 'sign-in' | 'sign-up' }> = {
  NOT_FOUND: { title: 'Sign-up link not valid', text: 'This link is not a Portico sign-up link. Open the link from your email again, in full, or sign up again.', action: 'sign-up' },
  sign_up_link_expired: { title: 'Sign-up link expired', text: 'This link is too old. Sign up again to get a new one.', action: 'sign-up' },
  sign_up_link_void: { title: 'Sign-up link no longer works', text: 'A wrong password was entered too many times with this link, so it was cancelled. Sign up again to get a new one.', action: 'sign-up' },
  sign_up_link_used: { title: 'Account already created', text: 'This link was already used to create your account. Sign in instead.', action: 'sign-in' },
  CONFLICT: { title: 'You already have an account', text: 'An account with this email address already exists. Sign in instead.', action: 'sign-in' },
};

/**
 * `/confirm-sign-up?token=…`, the link in the sign-up email. The link only proves the mailbox; the account is created
 * once the password chosen at sign-up is given too, so someone who signed up with another person's address can't
 * have that person's click finish an account whose password they know.
 */
export function ConfirmSignUpPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const client = useApolloClient();
  const [password, setPassword] = useState('');
  const [confirm, { loading, error }] = useMutation(ConfirmSignUpMutation);
  const info = readError(error);
  const refusal = REFUSALS[info?.reason ?? ''] ?? REFUSALS[info?.code ?? ''];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data } = await confirm({ variables: { token, password } }).catch(() => ({ data: null }));
    if (!data) return;
    applyTheme(data.confirmSignUp.user.theme);
    await client.resetStore();
    navigate('/', { replace: true });
  };

  if (!token) return <AuthLayout title="Sign-up link incomplete">Open the link from your sign-up email again, in full.</AuthLayout>;
  if (refusal) {
    return (
      <AuthLayout title={refusal.title}>
        <div className="alert alert-danger" role="alert">{refusal.text}</div>
        {refusal.action === 'sign-in'
          ? <Link className="btn btn-primary btn-block" to="/sign-in">Sign in</Link>
          : <Link className="btn btn-primary btn-block" to="/sign-up">Sign up again</Link>}
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Finish creating your account"
      subtitle="Enter the password you chose to finish creating your account."
      footer={<>Didn&rsquo;t sign up? Ignore this — nothing is created without your password.</>}
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password}
          onChange={(e) => setPassword(e.target.value)} error={info?.fields.password} autoFocus />
        <button className="btn btn-primary btn-block" type="submit" disabled={loading}>
          {loading ? 'Creating your account…' : 'Create my account'}
        </button>
      </form>
    </AuthLayout>
  );
}
