import { createBrowserRouter, Navigate } from 'react-router';
import { DASHBOARD_BASE } from '@portico/shared';
import { AcceptInvitationPage } from '../features/accounts/components/accept-invitation-page';
import { ConfirmSignUpPage } from '../features/accounts/components/confirm-sign-up-page';
import { SignInPage } from '../features/accounts/components/sign-in-page';
import { SignUpPage } from '../features/accounts/components/sign-up-page';
import { OrganizationsPage } from '../features/organizations/organizations-page';
import { OrganizationPage } from '../features/organizations/organization-page';
import { ConnectionPage } from '../features/connections/connection-page';
import { SessionPage } from '../features/sessions/session-page';
import { DirectoryPage } from '../features/directories/directory-page';
import { DirectoryUserPage } from '../features/directories/directory-user-page';
import { ConfigurationPage } from '../features/configuration/configuration-page';
import { WebhookEndpointPage } from '../features/webhooks/webhook-endpoint-page';
import { BillingPage } from '../features/billing/billing-page';
import { CompliancePage } from '../features/compliance/compliance-page';
import { OutboxPage } from '../features/outbox/outbox-page';
import { OverviewPage } from '../features/overview/overview-page';
import { UserSettingsPage } from '../features/settings/user-settings-page';
import { TeamPage } from '../features/team/team-page';
import { EmptyState } from '../components/states';
import { RequireViewer } from './require-viewer';
import { Shell } from './shell';

export const router = createBrowserRouter(
  [
    { path: '/sign-in', element: <SignInPage /> },
    { path: '/sign-up', element: <SignUpPage /> },
    { path: '/confirm-sign-up', element: <ConfirmSignUpPage /> },
    { path: '/invitations/accept', element: <AcceptInvitationPage /> },
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
            { path: '*', element: <div className="page"><EmptyState title="Page not found">This page does not exist. Use the menu on the left.</EmptyState></div> },
          ],
        },
      ],
    },
  ],
  { basename: DASHBOARD_BASE },
);
