import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { DASHBOARD_BASE } from '@portico/shared';
import { EmptyState, Loading } from '../components/states';
import { RequireViewer } from './require-viewer';
import { Shell } from './shell';

// Route-level code splitting: each feature's page is its own chunk, fetched when a route first needs it.
const AcceptInvitationPage = lazy(() => import('../features/accounts/components/accept-invitation-page').then((m) => ({ default: m.AcceptInvitationPage })));
const ConfirmSignUpPage = lazy(() => import('../features/accounts/components/confirm-sign-up-page').then((m) => ({ default: m.ConfirmSignUpPage })));
const SignInPage = lazy(() => import('../features/accounts/components/sign-in-page').then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => import('../features/accounts/components/sign-up-page').then((m) => ({ default: m.SignUpPage })));
const OrganizationsPage = lazy(() => import('../features/organizations/organizations-page').then((m) => ({ default: m.OrganizationsPage })));
const OrganizationPage = lazy(() => import('../features/organizations/organization-page').then((m) => ({ default: m.OrganizationPage })));
const ConnectionPage = lazy(() => import('../features/connections/connection-page').then((m) => ({ default: m.ConnectionPage })));
const SessionPage = lazy(() => import('../features/sessions/session-page').then((m) => ({ default: m.SessionPage })));
const OAuthSessionPage = lazy(() => import('../features/sessions/oauth-session-page').then((m) => ({ default: m.OAuthSessionPage })));
const TestSignInStartPage = lazy(() => import('../features/test-sign-in/start-page').then((m) => ({ default: m.TestSignInStartPage })));
const TestSignInResultPage = lazy(() => import('../features/test-sign-in/result-page').then((m) => ({ default: m.TestSignInResultPage })));
const DirectoryPage = lazy(() => import('../features/directories/directory-page').then((m) => ({ default: m.DirectoryPage })));
const DirectoryUserPage = lazy(() => import('../features/directories/directory-user-page').then((m) => ({ default: m.DirectoryUserPage })));
const ConfigurationPage = lazy(() => import('../features/configuration/configuration-page').then((m) => ({ default: m.ConfigurationPage })));
const BillingPage = lazy(() => import('../features/billing/billing-page').then((m) => ({ default: m.BillingPage })));
const CompliancePage = lazy(() => import('../features/compliance/compliance-page').then((m) => ({ default: m.CompliancePage })));
const OutboxPage = lazy(() => import('../features/outbox/outbox-page').then((m) => ({ default: m.OutboxPage })));
const OverviewPage = lazy(() => import('../features/overview/overview-page').then((m) => ({ default: m.OverviewPage })));
const UserSettingsPage = lazy(() => import('../features/settings/user-settings-page').then((m) => ({ default: m.UserSettingsPage })));
const WebhookEndpointPage = lazy(() => import('../features/webhooks/webhook-endpoint-page').then((m) => ({ default: m.WebhookEndpointPage })));
const TeamPage = lazy(() => import('../features/team/team-page').then((m) => ({ default: m.TeamPage })));

/** A page outside the shell (sign-in, sign-up …) while its chunk loads. */
const standalone = (page: ReactNode) => <Suspense fallback={<div className="auth"><Loading /></div>}>{page}</Suspense>;

export const router = createBrowserRouter(
  [
    { path: '/sign-in', element: standalone(<SignInPage />) },
    { path: '/sign-up', element: standalone(<SignUpPage />) },
    { path: '/confirm-sign-up', element: standalone(<ConfirmSignUpPage />) },
    { path: '/invitations/accept', element: standalone(<AcceptInvitationPage />) },
    {
      element: <RequireViewer />,
      children: [
        {
          element: <Shell />,
          children: [
            { index: true, element: <OverviewPage /> },
            { path: 'organizations', element: <OrganizationsPage /> },
            { path: 'organizations/:id', element: <OrganizationPage /> },
            { path: 'connections/:id', element: <ConnectionPage /> },
            { path: 'connections/:id/sessions', element: <ConnectionPage tab="sessions" /> },
            { path: 'sessions/:id', element: <SessionPage /> },
            { path: 'oauth-sessions/:id', element: <OAuthSessionPage /> },
            { path: 'test-sign-in/start', element: <TestSignInStartPage /> },
            { path: 'test-sign-in/:id', element: <TestSignInResultPage /> },
            { path: 'directories/:id', element: <DirectoryPage /> },
            { path: 'directories/:id/users', element: <DirectoryPage tab="users" /> },
            { path: 'directories/:id/groups', element: <DirectoryPage tab="groups" /> },
            { path: 'directories/:id/mapping', element: <DirectoryPage tab="mapping" /> },
            { path: 'directories/:id/log', element: <DirectoryPage tab="log" /> },
            { path: 'directory-users/:id', element: <DirectoryUserPage /> },
            { path: 'configuration', element: <ConfigurationPage /> },
            { path: 'configuration/oauth', element: <ConfigurationPage tab="oauth" /> },
            { path: 'configuration/admin-portal', element: <ConfigurationPage tab="admin-portal" /> },
            { path: 'configuration/custom-attributes', element: <ConfigurationPage tab="custom-attributes" /> },
            { path: 'configuration/webhooks', element: <ConfigurationPage tab="webhooks" /> },
            { path: 'configuration/webhooks/:id', element: <WebhookEndpointPage /> },
            { path: 'workspace/team', element: <TeamPage /> },
            { path: 'workspace/billing', element: <BillingPage /> },
            { path: 'workspace/compliance', element: <CompliancePage /> },
            { path: 'workspace/outbox', element: <OutboxPage /> },
            { path: 'settings/profile', element: <UserSettingsPage /> },
            { path: 'workspace', element: <Navigate to="/workspace/team" replace /> },
            { path: '*', element: <div className="page"><EmptyState title="Page not found" level={1}>This page does not exist. Use the navigation to find your way.</EmptyState></div> },
          ],
        },
      ],
    },
  ],
  { basename: DASHBOARD_BASE },
);
