import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { Link } from 'react-router';
import { PASSWORD_POLICY } from '@portico/shared';
import { Field } from '../../../components/field';
import { FormError } from '../../../components/states';
import { readError } from '../../../lib/errors';
import { SignUpMutation } from '../api/mutations';
import { AuthLayout } from './auth-layout';

export function SignUpPage() {
  const [form, setForm] = useState({ name: '', email: '', password: '', workspaceName: '' });
  const [signUp, { loading, error, data }] = useMutation(SignUpMutation);
  const fields = readError(error)?.fields ?? {};
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signUp({ variables: { input: form } }).catch(() => undefined);
  };

  if (data) return <CheckYourEmail email={data.signUp.email} hours={data.signUp.linkValidForHours} />;

  return (
    <AuthLayout
      title="Create your Portico account"
      subtitle="You get a workspace with Staging and Production environments."
      footer={<>Already have an account? <Link to="/sign-in">Sign in</Link></>}
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <Field label="Your name" autoComplete="name" required value={form.name} onChange={set('name')} error={fields.name} autoFocus />
        <Field label="Work email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} hint="We send a link there to confirm it." error={fields.email} />
        <Field label="Password" type="password" autoComplete="new-password" required minLength={PASSWORD_POLICY.minLength} value={form.password} onChange={set('password')} hint={PASSWORD_POLICY.summary} error={fields.password} />
        <Field label="Workspace name" autoComplete="organization" required value={form.workspaceName} onChange={set('workspaceName')} hint="Usually your company or product name." error={fields.workspaceName} />
        <button className="btn btn-primary btn-block" type="submit" disabled={loading}>
          {loading ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}

/**
 * The same page for every sign-up, whether or not the address already has an account (the email says which),
 * so this page can't be used to find out who uses Portico.
 */
function CheckYourEmail({ email, hours }: { email: string; hours: number }) {
  return (
    <AuthLayout title="Check your email" footer={<>Already confirmed? <Link to="/sign-in">Sign in</Link></>}>
      <div role="status" className="form">
        <p>
          We sent an email to <strong>{email}</strong>. Open the link in it within {hours} hours to confirm your address
          and finish creating your account.
        </p>
        <div className="alert alert-info">
          <p>
            <strong>No email?</strong> If this Portico has no mail server set up (no <code>SMTP_URL</code>), nothing is
            sent: the link is printed in Portico’s console log, in the terminal where it was started.
          </p>
        </div>
      </div>
    </AuthLayout>
  );
}
