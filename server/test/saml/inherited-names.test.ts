import { MAPPING_PRESETS, mapSamlProfile } from '../../src/auth/saml/profile';
import { SamlError } from '../../src/auth/saml/saml-error';
import { validateSamlResponse } from '../../src/auth/saml/validate-saml-response';
import { assertionXml, inputFor, responseXml, signAssertion } from './forge';

/**
 * Names an identity provider (or an admin's mapping) chooses, used as keys: `obj[name]` must never find an inherited
 * member of Object.prototype. One row per inherited name.
 */
const INHERITED = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'];

describe('SAML lookups keyed by names from the message or the mapping', () => {
  it.each(INHERITED)('an XML-DSig canonicalization Algorithm="%s" is refused as a SamlError, not a crash', async (name) => {
    const xml = responseXml({ assertionXml: signAssertion(assertionXml({ id: '_signed' })) }).replaceAll('Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"', `Algorithm="${name}"`);
    const outcome = await validateSamlResponse(inputFor(xml)).then(() => null, (e: unknown) => e);
    expect(outcome).toBeInstanceOf(SamlError);
  });

  it.each(INHERITED)('an attribute Name="%s" is read as the IdP sent it', async (name) => {
    const xml = responseXml({ assertionXml: signAssertion(assertionXml({ id: '_signed', attributes: { email: 'ada@acme.com', [name]: 'sent-value' } })) });
    const { attributes } = await validateSamlResponse(inputFor(xml));
    expect(Object.getOwnPropertyDescriptor(attributes, name)?.value).toBe('sent-value');
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
  });

  it.each(INHERITED)('a mapping source "%s" finds an attribute of that name or nothing, never Object’s member', (name) => {
    const mapping = { ...MAPPING_PRESETS.GENERIC, firstName: [name] };
    const outcome = (() => {
      try {
        return mapSamlProfile('00u1', { id: '00u1', email: 'ada@acme.com', lastName: 'Lovelace' }, mapping);
      } catch (e) {
        return e;
      }
    })();
    expect(outcome).toBeInstanceOf(SamlError);
    expect((outcome as SamlError).reason).toBe('missing_attributes');
  });
});
