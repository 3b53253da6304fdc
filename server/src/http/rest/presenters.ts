/** Objects exactly as the WorkOS API returns them (contract §2.5, §3); they live beside their modules, which events use too. */
export { presentOrganization, presentOrganizationDomain } from '../../modules/organizations/organization-presenters';
export { presentConnection } from '../../modules/connections/connection-presenter';
