/** The directory providers the portal has written steps for (server: PORTAL_DIRECTORY_PROVIDERS). */
export type DirectoryProviderKey = 'okta' | 'entra' | 'google' | 'onelogin' | 'jumpcloud' | 'generic';

export interface DirectoryGuide {
  name: string;
  /** What to create in the provider, before Portico's values are entered. */
  create: string[];
  /** Where the provider takes the SCIM base URL and the token, in its own words. */
  urlLabel: string;
  tokenLabel: string;
  /** Where those two go, and the settings around them. */
  connect: string;
  /** What the users' attributes must be, and how to add one for a custom attribute. */
  attributes: string;
  /** How to start provisioning: who is sent, and when. */
  assign: string;
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Steps written for each provider, in its console's own words. */
export const DIRECTORY_GUIDES: Record<DirectoryProviderKey, DirectoryGuide> = {
  okta: {
    name: 'Okta',
    create: [
      'In the Okta Admin Console, open Applications → Applications. Open the app you use for this application’s single sign-on, or click “Create App Integration” and choose “SAML 2.0”.',
      'On the app’s “General” tab, under “App Settings”, click Edit, set “Provisioning” to “SCIM” and save. A “Provisioning” tab appears.',
    ],
    urlLabel: 'SCIM connector base URL',
    tokenLabel: 'Authorization (HTTP Header, Bearer token)',
    connect: 'On “Provisioning” → “Integration”, click Edit. Paste the SCIM connector base URL, set “Unique identifier field for users” to userName, tick “Push New Users”, “Push Profile Updates” and “Push Groups”, choose “HTTP Header” as the Authentication Mode and paste the token as the Authorization Bearer token. Click “Test Connector Configuration”, then Save. Under “To App”, enable Create Users, Update User Attributes and Deactivate Users.',
    attributes: `Okta sends userName, name and email by default. For a custom attribute, add it in Directory → Profile Editor to this app’s user profile with the external namespace ${ENTERPRISE} (for example department), then map it from the Okta profile under Provisioning → To App → Attribute Mappings.`,
    assign: 'On “Assignments”, assign the people or groups to sync; on “Push Groups”, push the groups you want as groups. Okta sends them at once.',
  },
  entra: {
    name: 'Microsoft Entra ID',
    create: [
      'In the Microsoft Entra admin center, open Enterprise applications. Open the app you use for this application’s single sign-on, or click “New application” → “Create your own application” → “Integrate any other application you don’t find in the gallery (Non-gallery)”.',
      'Open “Provisioning”, click “Get started” (or “New configuration”) and set “Provisioning Mode” to “Automatic”.',
    ],
    urlLabel: 'Tenant URL',
    tokenLabel: 'Secret Token',
    connect: 'Under “Admin Credentials”, paste the Tenant URL and the Secret Token, click “Test Connection”, then Save.',
    attributes: `Under “Mappings” → “Provision Microsoft Entra ID Users”, keep userPrincipalName → userName, mail → emails[type eq "work"].value, givenName → name.givenName and surname → name.familyName. For a custom attribute, click “Add New Mapping” and send it to an attribute of ${ENTERPRISE} (department, employeeNumber, manager…) or a custom one.`,
    assign: 'Under “Users and groups”, assign the people and groups to sync, then set “Provisioning Status” to On and save. Entra ID’s first cycle can take up to 40 minutes; “Provision on demand” sends one user now.',
  },
  google: {
    name: 'Google Workspace',
    create: [
      'Google Workspace’s own automatic provisioning only sends users to apps from Google’s catalog, so Google Workspace users are sent over SCIM by a provisioning tool connected to your Google Workspace (your identity governance tool, or a SCIM bridge reading Google’s Directory API).',
      'In that tool, add a new SCIM 2.0 target (application) for this app.',
    ],
    urlLabel: 'SCIM base URL',
    tokenLabel: 'Bearer token',
    connect: 'Paste the SCIM base URL as the target’s endpoint and the token as its bearer token (sent as “Authorization: Bearer …”), then test the connection.',
    attributes: `Map Primary email → userName and emails, First name → name.givenName, Last name → name.familyName, and Google groups → Groups. For a custom attribute, map the Google field (for example Employee information › Department) to ${ENTERPRISE}:department.`,
    assign: 'Choose the organizational units or groups to sync, then start the sync.',
  },
  onelogin: {
    name: 'OneLogin',
    create: [
      'In OneLogin, open Applications → Applications and click “Add App”.',
      'Search for “SCIM Provisioner with SAML (SCIM v2 Enterprise)”, add it and save.',
    ],
    urlLabel: 'SCIM Base URL',
    tokenLabel: 'SCIM Bearer Token',
    connect: 'On the “Configuration” tab, paste the SCIM Base URL and the SCIM Bearer Token, keep the default SCIM JSON Template, click “Enable” under “API Connection” and save. On the “Provisioning” tab, tick “Enable provisioning” and save.',
    attributes: `On the “Parameters” tab, the defaults send userName, name and email. For a custom attribute, add a parameter whose SCIM name is under ${ENTERPRISE} (for example department), tick “Include in User Provisioning”, and pick its OneLogin value. Tick “Include in User Provisioning” on Groups to send groups.`,
    assign: 'Assign the app to the roles or users to sync; OneLogin sends them once provisioning is on (approve pending provisioning under Users if asked).',
  },
  jumpcloud: {
    name: 'JumpCloud',
    create: [
      'In the JumpCloud Admin Portal, open SSO Applications and click “+ Add New Application”, choose “Custom Application”.',
      'Select “Export users to this app (Identity Management)” (and single sign-on if you use it), name the app and save.',
    ],
    urlLabel: 'Base URL',
    tokenLabel: 'Token Key',
    connect: 'On the app’s “Identity Management” tab, choose SCIM API, SCIM 2.0, paste the Base URL and the Token Key, enter a test user’s email, click “Test Connection”, then “Activate” and save.',
    attributes: `JumpCloud sends userName, name, email and the ${ENTERPRISE} attributes (department, employee number, manager…); those are what you can map as custom attributes below.`,
    assign: 'On “User Groups”, bind the groups to sync; their members are sent, and group management sends the groups themselves.',
  },
  generic: {
    name: 'Another SCIM 2.0 provider',
    create: ['In your identity provider, create a SCIM 2.0 provisioning connection (outbound, to an app).'],
    urlLabel: 'SCIM 2.0 base URL',
    tokenLabel: 'Bearer token',
    connect: 'Paste the base URL (Portico serves /Users, /Groups, /ServiceProviderConfig, /Schemas and /ResourceTypes under it) and send the token as “Authorization: Bearer …” on every request.',
    attributes: `Send userName (unique), name.givenName, name.familyName, emails and active; groups as Groups with members. Any other attribute (enterprise extension ${ENTERPRISE} or your own) can be mapped as a custom attribute below.`,
    assign: 'Choose the people and groups to send, and start provisioning.',
  },
};

export const DIRECTORY_ORDER: DirectoryProviderKey[] = ['okta', 'entra', 'google', 'onelogin', 'jumpcloud', 'generic'];
