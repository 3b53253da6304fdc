import express, { type Request, type Response } from 'express';
import { isValidEmail, normalizeEmail } from '@portico/shared';
import { readAuthnRequest, SamlError, type ReceivedAuthnRequest } from '../../auth/saml';
import type { AppDeps } from '../../context';
import { spEndpoints } from '../../modules/connections/connections.service';
import { TEST_IDP_SCENARIOS, type TestIdpScenario } from '../../modules/test-idp/test-idp-response';
import { signTestResponse, TEST_USERS, testIdpAvailability, testIdpEndpoints, testIdpMetadata, testUserFor, type TestIdpAvailability } from '../../modules/test-idp/test-idp.service';
import { route } from '../rest/rest-router';
import { edgeErrorHandler } from '../edge/error-handler';
import { TEST_IDP_CSS, TEST_IDP_JS } from './test-idp-assets';
import { crossSiteRefusal } from '../edge/same-origin';
import { FORM_TOKEN_FIELD, formTokenRefusal, issueFormToken } from './test-idp-form-token';
import { sendAutoPost, sendLoginPage, sendTestIdpRefusal, type LoginPageInput } from './test-idp-pages';

const one = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
type Available = Extract<TestIdpAvailability, { kind: 'available' }>;

/** Serves the environment's test IdP, or answers with a page that says why it can't. */
async function availableOrRefuse(deps: AppDeps, req: Request, res: Response): Promise<Available | null> {
  const environmentId = String(req.params.environmentId);
  const found = /^environment_[0-9A-Z]{26}$/.test(environmentId) ? await testIdpAvailability(deps, environmentId) : { kind: 'unknown' as const };
  if (found.kind === 'available') return found;
  const refusals = {
    unknown: [404, 'No such test identity provider', 'This address names no Portico environment.'],
    production: [403, 'Not available in Production', 'The test identity provider signs in made-up users, so Portico serves it only for Staging environments. Use a real identity provider in Production.'],
    disabled: [403, 'Test identity provider turned off', `It is turned off for ${'environment' in found ? found.environment.name : 'this environment'}. An Admin or Developer can turn it on in the Portico dashboard: Configuration → Test identity provider.`],
    no_connection: [409, 'No Test Organization', `${'environment' in found ? found.environment.name : 'This environment'} has no Test Organization connected to its test identity provider: it was not set up, or it was deleted. An Admin or Developer can set it up in the Portico dashboard: Configuration → Test identity provider → Set up.`],
  } as const;
  const [status, title, message] = refusals[found.kind];
  sendTestIdpRefusal(res, status, title, message);
  return null;
}

/**
 * The AuthnRequest, when there is one, must come from this environment's Test Organization connection: the test IdP
 * never signs for another connection (another environment's, or one that copied its metadata).
 */
function readRequest(deps: AppDeps, found: Available, samlRequest: string | undefined, res: Response): ReceivedAuthnRequest | null | false {
  if (!samlRequest) return null;
  const expected = spEndpoints(deps.config.publicUrl, found.connection.id);
  try {
    const request = readAuthnRequest(samlRequest);
    if (request.issuer !== expected.spEntityId || (request.acsUrl !== null && request.acsUrl !== expected.acsUrl)) {
      sendTestIdpRefusal(res, 400, 'Request from another connection', `This test identity provider answers only its environment's Test Organization (issuer ${expected.spEntityId}); the request came from ${request.issuer}.`);
      return false;
    }
    return request;
  } catch (err) {
    if (!(err instanceof SamlError)) throw err;
    sendTestIdpRefusal(res, 400, 'Unreadable sign-in request', `${err.message}.`);
    return false;
  }
}

/** The login page's fields for one request, with a form token bound to this browser and that request. */
function loginPage(deps: AppDeps, req: Request, res: Response, found: Available, shown: { samlRequest: string | null; relayState: string | null }): LoginPageInput {
  const environmentId = found.environment.id;
  const formToken = issueFormToken(req, res, deps.secrets, { environmentId, ...shown, secure: deps.config.publicUrl.startsWith('https://') });
  return { environmentName: found.environment.name, organizationName: 'Test Organization', respondUrl: testIdpEndpoints('', environmentId).respondUrl, users: TEST_USERS, formToken, ...shown };
}

/** Portico's built-in SAML identity provider, per Staging environment (DESIGN.md "Test IdP"). */
export function testIdpRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  router.get('/test-idp/assets/test-idp.css', (_req, res) => res.type('css').set('Cache-Control', 'public, max-age=3600').send(TEST_IDP_CSS));
  router.get('/test-idp/assets/test-idp.js', (_req, res) => res.type('js').set('Cache-Control', 'public, max-age=3600').send(TEST_IDP_JS));

  router.get('/test-idp/:environmentId/metadata', route(async (req, res) => {
    const found = await availableOrRefuse(deps, req, res);
    if (!found) return;
    res.type('application/samlmetadata+xml').send(testIdpMetadata(deps.config.publicUrl, found.environment.id, found.idp.certificate));
  }));

  router.get('/test-idp/:environmentId/sso', route(async (req, res) => {
    const found = await availableOrRefuse(deps, req, res);
    if (!found) return;
    const samlRequest = one(req.query.SAMLRequest);
    if (readRequest(deps, found, samlRequest, res) === false) return;
    sendLoginPage(res, loginPage(deps, req, res, found, { samlRequest: samlRequest ?? null, relayState: one(req.query.RelayState) ?? null }));
  }));

  router.post('/test-idp/:environmentId/respond', route(async (req, res) => {
    const crossSite = crossSiteRefusal(req, deps.config.publicUrl);
    if (crossSite) return sendTestIdpRefusal(res, 403, 'Cross-site request refused', `Only this test identity provider's own login page can post its form (${crossSite}).`);
    const found = await availableOrRefuse(deps, req, res);
    if (!found) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const samlRequest = one(body.SAMLRequest) || undefined;
    const forged = formTokenRefusal(req, deps.secrets, one(body[FORM_TOKEN_FIELD]), { environmentId: found.environment.id, samlRequest: samlRequest ?? null, relayState: one(body.RelayState) ?? null });
    if (forged) return sendTestIdpRefusal(res, 403, 'Open the login page again', `This form did not come from a login page opened in this browser for this sign-in, or it is too old (${forged}). Start the sign-in again.`);
    const request = readRequest(deps, found, samlRequest, res);
    if (request === false) return;
    const scenario = one(body.scenario) as TestIdpScenario | undefined;
    if (!scenario || !TEST_IDP_SCENARIOS.includes(scenario)) {
      sendTestIdpRefusal(res, 400, 'Unknown scenario', `scenario must be one of ${TEST_IDP_SCENARIOS.join(', ')}.`);
      return;
    }
    const typed = one(body.email)?.trim() ?? '';
    const email = normalizeEmail(typed || one(body.user) || '');
    if (!isValidEmail(email)) {
      sendLoginPage(res, {
        ...loginPage(deps, req, res, found, { samlRequest: samlRequest ?? null, relayState: one(body.RelayState) ?? null }), typedEmail: typed,
        emailError: typed ? `"${typed.slice(0, 100)}" is not an email address.` : 'Pick a user or type an email address.',
      }, 400);
      return;
    }
    // IdP-initiated: no InResponseTo and no RelayState, whether or not a request came with the page.
    const unsolicited = scenario === 'idp_initiated' || request === null;
    const { acsUrl, samlResponse } = await signTestResponse(deps, found, { scenario, user: testUserFor(email), inResponseTo: unsolicited ? null : request!.id });
    sendAutoPost(res, acsUrl, samlResponse, unsolicited ? null : one(body.RelayState) ?? null);
  }));

  router.use('/test-idp', edgeErrorHandler);
  return router;
}
