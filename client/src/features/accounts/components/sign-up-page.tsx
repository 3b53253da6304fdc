import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PASSWORD_POLICY } from '@portico/shared';
import { Field } from '../../../components/field';
import { FormError } from '../../../components/states';
import { readError } from '../../../lib/errors';
import { SignUpMutation } from '../api/mutations';
import { AuthLayout } from './auth-layout';
import { safeNext } from './safe-next';

export function SignUpPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [form, setForm] = useState({ name: '', email: '', password: '', workspaceName: '' });
  const [signUp, { loading, error }] = useMutation(SignUpMutation);
  const fields = readError(error)?.fields ?? {};
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data } = await signUp({ variables: { input: form } }).catch(() => ({ data: null }));
    if (!data) return;
    await client.resetStore();
    navigate(safeNext(params.get('next')), { replace: true });
  };

  return (
    <AuthLayout
      title="Create your Portico account"
      subtitle="You get a workspace with Staging and Production environments."
      footer={<>Already have an account? <Link to="/sign-in">Sign in</Link></>}
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <Field label="Your name" autoComplete="name" required value={form.name} onChange={set('name')} error={fields.name} autoFocus />
        <Field label="Work email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} error={fields.email} />
        <Field label="Password" type="password" autoComplete="new-password" required minLength={PASSWORD_POLICY.minLength} value={form.password} onChange={set('password')} hint={PASSWORD_POLICY.summary} error={fields.password} />
        <Field label="Workspace name" autoComplete="organization" required value={form.workspaceName} onChange={set('workspaceName')} hint="Usually your company or product name." error={fields.workspaceName} />
        <button className="btn btn-primary btn-block" type="submit" disabled={loading}>
          {loading ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
