import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Field } from '../../../components/field';
import { FormError } from '../../../components/states';
import { readError } from '../../../lib/errors';
import { applyTheme } from '../../../lib/theme';
import { SignInMutation } from '../api/mutations';
import { safeNext } from './safe-next';
import { AuthLayout } from './auth-layout';

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [signIn, { loading, error }] = useMutation(SignInMutation);
  const fields = readError(error)?.fields ?? {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data } = await signIn({ variables: { input: { email, password } } }).catch(() => ({ data: null }));
    if (!data) return;
    applyTheme(data.signIn.user.theme);
    await client.resetStore();
    navigate(safeNext(params.get('next')), { replace: true });
  };

  return (
    <AuthLayout
      title="Sign in to Portico"
      subtitle="Manage SSO connections and directories for your customers."
      footer={<>New to Portico? <Link to={`/sign-up${params.get('next') ? `?next=${encodeURIComponent(params.get('next')!)}` : ''}`}>Create an account</Link></>}
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} autoFocus />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={fields.password} />
        <button className="btn btn-primary btn-block" type="submit" disabled={loading}>
          {loading ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
