import type { ReactNode } from 'react';
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { EnvironmentProvider } from '../app/environment';
import { FeedbackProvider } from '../components/feedback';
import { ViewerContext, type CurrentViewer } from '../app/viewer-context';

const PERMISSIONS = {
  ADMIN: ['team:view', 'team:manage', 'team-details:edit', 'outbox:view', 'environment:configure', 'redirect-uris:manage', 'api-keys:manage', 'organizations:manage', 'sessions:decrypted-assertions', 'billing:manage', 'compliance:download'],
  DEVELOPER: ['team:view', 'environment:configure', 'redirect-uris:manage', 'api-keys:manage', 'organizations:manage', 'sessions:decrypted-assertions'],
  SUPPORT: ['team:view', 'organizations:manage'],
} as const;

export const STAGING = { __typename: 'Environment', id: 'environment_01J0000000000000000000000S', kind: 'STAGING', name: 'Staging', clientId: 'client_01J00000000000000000000000', locked: false, lockedReason: null } as const;

/** A signed-in viewer of the given role, in a workspace with Staging (and a Production locked until billing). */
export function viewerAs(role: keyof typeof PERMISSIONS): CurrentViewer {
  return {
    __typename: 'Viewer',
    user: { __typename: 'User', id: 'user_1', email: 'ada@acme.com', name: 'Ada Lovelace', theme: 'SYSTEM', notificationSettings: { __typename: 'NotificationSettings', connectionActivity: true, directoryActivity: true, securityAlerts: true, productUpdates: false } },
    workspace: {
      __typename: 'Workspace', id: 'workspace_1', name: 'Acme', supportEmail: null, billingConfigured: false,
      environments: [STAGING, { ...STAGING, id: 'environment_01J0000000000000000000000P', kind: 'PRODUCTION', name: 'Production', locked: true, lockedReason: 'Production is locked until an Admin sets up billing' }],
    },
    role,
    permissions: [...PERMISSIONS[role]],
    workspaces: [],
    emailDelivery: 'OUTBOX',
  } as unknown as CurrentViewer;
}

/** Renders a screen as the app does: router, viewer, environment (Staging) and Apollo with `mocks`. */
export function renderScreen(screen: ReactNode, opts: { mocks?: MockLink.MockedResponse[]; role?: keyof typeof PERMISSIONS; path?: string } = {}) {
  localStorage.setItem('portico-environment', 'STAGING');
  return render(
    <MockedProvider mocks={opts.mocks ?? []}>
      <MemoryRouter initialEntries={[opts.path ?? '/']}>
        <ViewerContext.Provider value={viewerAs(opts.role ?? 'ADMIN')}>
          <EnvironmentProvider><FeedbackProvider>{screen}</FeedbackProvider></EnvironmentProvider>
        </ViewerContext.Provider>
      </MemoryRouter>
    </MockedProvider>,
  );
}
