import type { IdpKey } from './api';

export interface IdpGuide {
  name: string;
  /** What to create in the IdP, before Portico's values are entered. */
  create: string[];
  /** Where the IdP takes the ACS URL and entity ID, in its own words. */
  acsLabel: string;
  entityIdLabel: string;
  /** How the attribute statements are added there. */
  attributes: string;
  /** Where the admin finds the metadata to bring back. */
  metadata: string;
  assign: string;
  /** How the steps name the provider when `name` is a protocol rather than a product. */
  provider?: string;
  /** OpenID Connect: an example of the discovery URL or issuer, in the provider's shape. */
  placeholder?: string;
}

/** What the steps call the provider: its product name, or "your identity provider". */
export const providerName = (idp: IdpKey) => IDP_GUIDES[idp].provider ?? IDP_GUIDES[idp].name;

/** Steps written for each identity provider, in its console's own words. */
export const IDP_GUIDES: Record<IdpKey, IdpGuide> = {
  okta: {
    name: 'Okta',
    create: ['In the Okta Admin Console, open Applications → Applications and click “Create App Integration”.', 'Choose “SAML 2.0”, name the app, and continue to “Configure SAML”.'],
    acsLabel: 'Single sign-on URL (keep “Use this for Recipient URL and Destination URL” checked)', entityIdLabel: 'Audience URI (SP Entity ID)',
    attributes: 'Under “Attribute Statements”, add each name below with its Okta value: id → user.id, email → user.email, firstName → user.firstName, lastName → user.lastName. Set Name ID format to EmailAddress.',
    metadata: 'On the app’s “Sign On” tab, copy the “Metadata URL” (or download the metadata file).',
    assign: 'On the “Assignments” tab, assign the people or groups who should sign in.',
  },
  entra: {
    name: 'Microsoft Entra ID',
    create: ['In the Microsoft Entra admin center, open Enterprise applications and click “New application”.', 'Click “Create your own application”, choose “Integrate any other application you don’t find in the gallery (Non-gallery)”, then open “Single sign-on” and choose “SAML”.'],
    acsLabel: 'Reply URL (Assertion Consumer Service URL)', entityIdLabel: 'Identifier (Entity ID)',
    attributes: 'Under “Attributes & Claims”, keep the default claims (givenname, surname, emailaddress, name); the names below are what Portico reads. Add a group claim if you want groups.',
    metadata: 'Under “SAML Certificates”, copy the “App Federation Metadata Url” (or download “Federation Metadata XML”).',
    assign: 'Under “Users and groups”, assign the people or groups who should sign in.',
  },
  google: {
    name: 'Google Workspace',
    create: ['In the Google Admin console, open Apps → Web and mobile apps, then Add app → “Add custom SAML app”.', 'Name the app. On “Google Identity Provider details”, download the IdP metadata file, then continue.'],
    acsLabel: 'ACS URL', entityIdLabel: 'Entity ID',
    attributes: 'Set Name ID format to EMAIL and Name ID to “Basic Information › Primary email”. Under “Attribute mapping”, map Primary email → email, First name → firstName, Last name → lastName.',
    metadata: 'Upload the metadata file you downloaded from “Google Identity Provider details”.',
    assign: 'Open the app’s “User access” and turn it ON for everyone or for the organizational units who should sign in.',
  },
  adfs: {
    name: 'Microsoft AD FS',
    create: ['In AD FS Management, right-click “Relying Party Trusts” and choose “Add Relying Party Trust…”, then “Claims aware”.', 'Choose “Import data about the relying party published online” and paste the SP metadata URL below (or enter the data manually with the values below).'],
    acsLabel: 'Relying party SAML 2.0 SSO service URL', entityIdLabel: 'Relying party trust identifier',
    attributes: 'Edit the Claim Issuance Policy: add a “Send LDAP Attributes as Claims” rule mapping E-Mail-Addresses → E-Mail Address, Given-Name → Given Name, Surname → Surname, User-Principal-Name → UPN.',
    metadata: 'Your AD FS metadata is at https://<your AD FS host>/FederationMetadata/2007-06/FederationMetadata.xml: paste that URL, or upload the file.',
    assign: 'Set the access control policy to the people who should sign in.',
  },
  onelogin: {
    name: 'OneLogin',
    create: ['In OneLogin, open Applications → Applications and click “Add App”.', 'Search for “SAML Custom Connector (Advanced)”, add it and save.'],
    acsLabel: 'ACS (Consumer) URL, also as Recipient and ACS (Consumer) URL Validator', entityIdLabel: 'Audience (EntityID)',
    attributes: 'On the “Parameters” tab, add each name below (check “Include in SAML assertion”): id → UUID, email → Email, firstName → First Name, lastName → Last Name.',
    metadata: 'On the “SSO” tab, copy the “Issuer URL” (the metadata URL), or use More Actions → SAML Metadata to download it.',
    assign: 'Assign the app to the roles or users who should sign in.',
  },
  jumpcloud: {
    name: 'JumpCloud',
    create: ['In the JumpCloud Admin Portal, open SSO Applications and click “+ Add New Application”.', 'Choose “Custom Application”, select “Manage Single Sign-On (SSO)” with SAML 2.0, and name it.'],
    acsLabel: 'ACS URLs (Default URL)', entityIdLabel: 'SP Entity ID',
    attributes: 'Set SAMLSubject NameID to email. Under “Attributes”, add the names below mapped to email, firstname and lastname (and the user ID as id if you can).',
    metadata: 'After saving, click “Export Metadata” and upload the file here.',
    assign: 'On “User Groups”, bind the groups who should sign in.',
  },
  pingone: {
    name: 'PingOne',
    create: ['In the PingOne admin console, open Applications and click “+” to add an application.', 'Choose “SAML Application”, name it, and pick “Manually enter” for the configuration.'],
    acsLabel: 'ACS URLs', entityIdLabel: 'Entity ID',
    attributes: 'On “Attribute Mappings”, map saml_subject → Email Address and add the names below: id → User ID, email → Email Address, firstName → Given Name, lastName → Family Name.',
    metadata: 'On the app’s “Configuration” tab, copy the “IdP Metadata URL” (or download the metadata).',
    assign: 'Turn the application on and grant access to the groups who should sign in.',
  },
  generic: {
    name: 'Another SAML 2.0 provider',
    create: ['In your identity provider, create a new SAML 2.0 application (service provider).'],
    acsLabel: 'Assertion Consumer Service (ACS) URL, HTTP-POST binding', entityIdLabel: 'SP entity ID (audience)',
    attributes: 'Sign the assertion with RSA-SHA256, set the NameID to the user’s email, and add the attribute statements below.',
    metadata: 'Export the IdP metadata (a URL or an XML file), or note its SSO URL, entity ID (issuer) and signing certificate.',
    assign: 'Give the people who should sign in access to the application.',
  },
  okta_oidc: {
    name: 'Okta (OpenID Connect)', provider: 'Okta',
    create: [
      'In the Okta Admin Console, open Applications → Applications and click “Create App Integration”.',
      'Choose “OIDC - OpenID Connect” and “Web Application”, name the app, and keep the “Authorization Code” grant type.',
    ],
    acsLabel: 'Sign-in redirect URIs', entityIdLabel: '',
    attributes: 'With the openid, profile and email scopes Okta’s ID token carries sub, email, given_name and family_name. For groups, on the app’s “Sign On” tab edit “OpenID Connect ID Token” and set a groups claim filter (groups, Matches regex .*).',
    metadata: 'On the app’s “General” tab, copy the Client ID and the client secret. The discovery URL is https://<your Okta domain>/.well-known/openid-configuration (your Okta domain works too).',
    assign: 'On the “Assignments” tab, assign the people or groups who should sign in.',
    placeholder: 'https://acme.okta.com',
  },
  entra_oidc: {
    name: 'Microsoft Entra ID (OpenID Connect)', provider: 'Microsoft Entra ID',
    create: [
      'In the Microsoft Entra admin center, open App registrations and click “New registration”.',
      'Name it, keep “Accounts in this organizational directory only”, and under “Redirect URI” choose the “Web” platform.',
    ],
    acsLabel: 'Redirect URI (Web)', entityIdLabel: '',
    attributes: 'Under “Token configuration”, add the optional ID token claims email, given_name and family_name (and “Add groups claim” if you want groups). Portico identifies each person by the oid claim (the same in every app of your tenant), and reads preferred_username when email is empty.',
    metadata: 'On “Overview”, copy the “Application (client) ID”; under “Certificates & secrets”, create a client secret and copy its Value. The discovery URL is https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0/.well-known/openid-configuration.',
    assign: 'To limit who can sign in, open the app under Enterprise applications, set Properties → “Assignment required?” to Yes, and assign people or groups under “Users and groups”.',
    placeholder: 'https://login.microsoftonline.com/<tenant ID>/v2.0',
  },
  oidc: {
    name: 'OpenID Connect (any IdP)', provider: 'your identity provider',
    create: [
      'In your identity provider, register a new web application (OpenID Connect, a confidential client) that uses the authorization code flow.',
      'Allow the scopes openid, profile and email.',
    ],
    acsLabel: 'Sign-in redirect URI (callback URL)', entityIdLabel: '',
    attributes: 'Portico reads the ID token’s standard claims: sub (user ID), email, given_name and family_name, and groups if your provider sends them.',
    metadata: 'Copy the discovery URL (it ends in /.well-known/openid-configuration; the issuer URL works too), the client ID and the client secret of the application you registered.',
    assign: 'Give the people who should sign in access to the application.',
  },
};

export const IDP_ORDER: IdpKey[] = ['okta', 'entra', 'google', 'adfs', 'onelogin', 'jumpcloud', 'pingone', 'generic', 'okta_oidc', 'entra_oidc', 'oidc'];
