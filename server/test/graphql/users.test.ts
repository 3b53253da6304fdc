import { buildWorkspace, signedInClient } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/app';
import { GqlClient } from '../helpers/client';

const SETTINGS = `mutation($input: UpdateNotificationSettingsInput!) { updateNotificationSettings(input: $input) { notificationSettings { connectionActivity directoryActivity securityAlerts productUpdates } } }`;
const THEME = `mutation($theme: Theme!) { updateTheme(theme: $theme) { theme } }`;

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('user settings', () => {
  it('changes only the notification settings given, and keeps them', async () => {
    const { admin, workspace } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    const { updateNotificationSettings } = await client.data(SETTINGS, { input: { productUpdates: true, connectionActivity: false } });
    expect(updateNotificationSettings.notificationSettings).toEqual({ connectionActivity: false, directoryActivity: true, securityAlerts: true, productUpdates: true });
    const { viewer } = await client.data(`{ viewer { user { notificationSettings { connectionActivity productUpdates } } } }`);
    expect(viewer.user.notificationSettings).toEqual({ connectionActivity: false, productUpdates: true });
  });

  it('saves the theme per user', async () => {
    const { admin, workspace } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    expect((await client.data(THEME, { theme: 'DARK' })).updateTheme.theme).toBe('DARK');
    const again = await signedInClient(app.db, app.url, admin, workspace.id);
    expect((await again.data(`{ viewer { user { theme } } }`)).viewer.user.theme).toBe('DARK');
  });

  it('refuses an unknown theme and a signed-out caller', async () => {
    const { admin, workspace } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    expect((await client.error(THEME, { theme: 'PINK' })).code).toBe('BAD_USER_INPUT');
    expect((await new GqlClient(app.url).error(THEME, { theme: 'DARK' })).code).toBe('UNAUTHENTICATED');
    expect((await new GqlClient(app.url).error(SETTINGS, { input: { productUpdates: true } })).code).toBe('UNAUTHENTICATED');
  });
});
