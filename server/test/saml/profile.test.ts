import { MAPPING_PRESETS, mapSamlProfile, NAME_ID } from '../../src/auth/saml/profile';
import { SamlError } from '../../src/auth/saml/saml-error';

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';

function refusal(fn: () => unknown): SamlError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SamlError) return err;
    throw err;
  }
  throw new Error('expected a SamlError');
}

describe('mapSamlProfile', () => {
  it('maps plain (Okta-style) attributes, with groups', () => {
    const profile = mapSamlProfile('00u1', { id: '00u1', email: 'Ada@Acme.com', firstName: 'Ada', lastName: 'Lovelace', groups: ['eng', 'admins'] }, MAPPING_PRESETS.OKTA);
    expect(profile).toMatchObject({ idpId: '00u1', email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', groups: ['eng', 'admins'] });
    expect(profile.rawAttributes[NAME_ID]).toBe('00u1');
  });

  it('maps Entra ID claim URIs, taking the object identifier as the IdP ID', () => {
    const attributes = {
      'http://schemas.microsoft.com/identity/claims/objectidentifier': 'b7c1e1a2-0000-4000-8000-000000000001',
      [`${CLAIMS}/emailaddress`]: 'grace@contoso.com',
      [`${CLAIMS}/givenname`]: 'Grace',
      [`${CLAIMS}/surname`]: 'Hopper',
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': 'g-1',
    };
    expect(mapSamlProfile('grace@contoso.com', attributes, MAPPING_PRESETS.ENTRA_ID)).toMatchObject({
      idpId: 'b7c1e1a2-0000-4000-8000-000000000001', email: 'grace@contoso.com', firstName: 'Grace', lastName: 'Hopper', groups: ['g-1'],
    });
  });

  it('takes the NameID as Google’s IdP ID and as the fallback email', () => {
    expect(mapSamlProfile('alan@example.org', { firstName: 'Alan', lastName: 'Turing' }, MAPPING_PRESETS.GOOGLE)).toMatchObject({ idpId: 'alan@example.org', email: 'alan@example.org' });
  });

  it('refuses missing attributes as Invalid Attributes, keeping what was received and the mapping applied', () => {
    const error = refusal(() => mapSamlProfile('someone', { email: 'x@acme.com', department: 'R&D' }, MAPPING_PRESETS.OKTA));
    expect(error).toMatchObject({ reason: 'missing_attributes', dashboardError: 'INVALID_ATTRIBUTES', expected: ['idpId', 'firstName', 'lastName'] });
    expect(error.details).toMatchObject({ receivedAttributes: { [NAME_ID]: 'someone', email: 'x@acme.com', department: 'R&D' }, mapping: MAPPING_PRESETS.OKTA });
    expect(error.message).toContain('firstName');
  });

  it('treats blank values as missing, and refuses an email attribute that is not an email', () => {
    expect(refusal(() => mapSamlProfile('n', { id: '1', email: 'a@b.co', firstName: '  ', lastName: 'L' }, MAPPING_PRESETS.OKTA)).expected).toEqual(['firstName']);
    expect(refusal(() => mapSamlProfile('n', { id: '1', email: 'Lovelace', firstName: 'A', lastName: 'L' }, MAPPING_PRESETS.OKTA))).toMatchObject({ reason: 'invalid_attribute_value', received: 'lovelace' });
  });
});
