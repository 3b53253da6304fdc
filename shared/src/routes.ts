/** Paths the server links to and the dashboard routes; one place so emails and the SPA agree. */
export const DASHBOARD_BASE = '/dashboard';

export const dashboardRoutes = {
  signIn: `${DASHBOARD_BASE}/sign-in`,
  signUp: `${DASHBOARD_BASE}/sign-up`,
  confirmSignUp: (token: string) => `${DASHBOARD_BASE}/confirm-sign-up?token=${encodeURIComponent(token)}`,
  acceptInvitation: (token: string) => `${DASHBOARD_BASE}/invitations/accept?token=${encodeURIComponent(token)}`,
  team: `${DASHBOARD_BASE}/workspace/team`,
  outbox: `${DASHBOARD_BASE}/workspace/outbox`,
  userSettings: `${DASHBOARD_BASE}/settings/profile`,
};
