import { useEffect, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { usePortalQuery, type Intent, type PortalContext } from './api';
import { applyBranding } from './branding';
import { PortalContextProvider, usePortal } from './portal-context';
import { SsoSetupPage } from './sso-setup-page';
import { TestResultPage } from './test-result-page';
import { CertificateRenewalPage } from './certificate-renewal-page';
import { DirectorySyncPage } from './directory-sync-page';
import { DomainVerificationPage } from './domain-verification-page';

export const INTENT_PATHS: Record<Intent, string> = { sso: '/sso', dsync: '/dsync', domain_verification: '/domain-verification', certificate_renewal: '/certificate-renewal' };
const INTENT_TITLES: Record<Intent, string> = { sso: 'Set up single sign-on', dsync: 'Set up directory sync', domain_verification: 'Verify your domain', certificate_renewal: 'Renew your SAML certificate' };

/** The page a person sees when the portal session is gone (expired, revoked, or never opened). */
export function LinkEnded() {
  return (
    <main className="portal-ended" id="main">
      <div className="card portal-ended-card">
        <div className="card-body stack">
          <h1>Ask for a new setup link</h1>
          <p>This setup session has ended: setup links work for a limited time, once, and the application team can revoke them.</p>
          <p>Go back to the application that sent you here and ask it for a new link to the setup portal.</p>
        </div>
      </div>
    </main>
  );
}

/** The dashboard's spinner, without the dashboard's states module (which reads Apollo errors the portal never has). */
export function Loading({ label }: { label: string }) {
  return <div className="loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" /><span>{label}</span></div>;
}

function Layout() {
  const ctx = usePortal();
  return (
    <div className="portal">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="portal-header">
        <div className="portal-brand">
          {ctx.branding.logoUrl ? <img src={ctx.branding.logoUrl} alt={ctx.branding.name} className="portal-logo" /> : <span className="portal-mark" aria-hidden="true">{ctx.branding.name.slice(0, 1).toUpperCase()}</span>}
          {!ctx.branding.logoUrl && <span className="portal-name">{ctx.branding.name}</span>}
        </div>
        {ctx.returnUrl && <a className="btn btn-sm" href={ctx.returnUrl}>Return to app</a>}
      </header>
      <main className="portal-main" id="main" tabIndex={-1}>
        <div className="portal-intro">
          <p className="portal-eyebrow">{ctx.organization.name}</p>
          <h1>{INTENT_TITLES[ctx.intent]}</h1>
        </div>
        <Outlet />
      </main>
      <footer className="portal-footer">
        {ctx.supportEmail ? <p>Questions? Contact <a href={`mailto:${ctx.supportEmail}`}>{ctx.supportEmail}</a></p> : <p>Questions? Contact the team that sent you this link.</p>}
        <p className="subtle">This setup session ends {new Date(ctx.expiresAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}.</p>
      </footer>
    </div>
  );
}

/** Only the link's intent is reachable; any other path goes to it. */
function IntentOnly({ intent, children }: { intent: Intent[]; children: ReactNode }) {
  const ctx = usePortal();
  return intent.includes(ctx.intent) ? <>{children}</> : <Navigate to={INTENT_PATHS[ctx.intent]} replace />;
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/sso', element: <IntentOnly intent={['sso']}><SsoSetupPage /></IntentOnly> },
      { path: '/sso/test/:id', element: <IntentOnly intent={['sso', 'certificate_renewal']}><TestResultPage /></IntentOnly> },
      { path: '/certificate-renewal', element: <IntentOnly intent={['certificate_renewal']}><CertificateRenewalPage /></IntentOnly> },
      { path: '/dsync', element: <IntentOnly intent={['dsync']}><DirectorySyncPage /></IntentOnly> },
      { path: '/domain-verification', element: <IntentOnly intent={['domain_verification']}><DomainVerificationPage /></IntentOnly> },
      { path: '*', element: <ToIntent /> },
    ],
  },
], { basename: '/portal' });

function ToIntent() {
  return <Navigate to={INTENT_PATHS[usePortal().intent]} replace />;
}

export function PortalApp() {
  const session = usePortalQuery<PortalContext>('/session');
  useEffect(() => {
    if (session.data) applyBranding(session.data.branding);
  }, [session.data]);
  if (session.loading && !session.data) return <div className="portal-ended"><Loading label="Opening the setup portal…" /></div>;
  if (session.error?.status === 401 || !session.data) {
    return session.error && session.error.status !== 401
      ? <main className="portal-ended" id="main"><div className="card portal-ended-card"><div className="card-body stack" role="alert"><h1>The setup portal could not be loaded</h1><p>{session.error.message}</p><button type="button" className="btn" onClick={session.reload}>Try again</button></div></div></main>
      : <LinkEnded />;
  }
  return (
    <PortalContextProvider value={session.data}>
      <RouterProvider router={router} />
    </PortalContextProvider>
  );
}
