import { DOMParser } from '@xmldom/xmldom';
import { IdpMetadataError, parseIdpMetadata } from '../../src/auth/saml/idp-metadata';
import { SamlError, type SamlErrorReason } from '../../src/auth/saml/saml-error';
import { validateSamlResponse } from '../../src/auth/saml/validate-saml-response';
import { descendants, hasComment, textOf, XML_LIMITS } from '../../src/auth/saml/xml';
import { assertionXml, encryptAssertion, inputFor, keys, responseXml, signAssertion } from './forge';

/** `depth` nested elements, short-named so that 60,000 levels stay under the size bound. */
const nested = (depth: number, name = 'x') => `${`<${name}>`.repeat(depth)}${`</${name}>`.repeat(depth)}`;
const inAssertion = (assertion: string, extra: string) => assertion.replace('</saml:Assertion>', `${extra}</saml:Assertion>`);
/** A signed assertion with `extra` inside it, signed after insertion, so only the bound can refuse it (within the bound). */
const signedWith = (extra: string) => signAssertion(inAssertion(assertionXml({ id: '_deep' }), extra));
/** A signed assertion with `extra` slipped in after signing (a signer can't canonicalize 60,000 levels either). */
const slippedInto = (extra: string) => inAssertion(signAssertion(assertionXml({ id: '_deep' })), extra);

async function outcome(input: ReturnType<typeof inputFor>) {
  const started = performance.now();
  const result = await validateSamlResponse(input).then(() => 'accepted' as const, (e: unknown) => e);
  return { result, ms: performance.now() - started };
}

describe('untrusted XML is bounded before anything walks it', () => {
  const cases: [string, () => Promise<ReturnType<typeof inputFor>>, SamlErrorReason][] = [
    ['60,000 levels inside the signed assertion', async () => inputFor(responseXml({ assertionXml: slippedInto(nested(60_000)) })), 'xml_too_deep'],
    ['200 levels inside the signed assertion', async () => inputFor(responseXml({ assertionXml: slippedInto(nested(200)) })), 'xml_too_deep'],
    ['60,000 levels beside the assertion (unsigned part of the Response)', async () => inputFor(responseXml({ assertionXml: `${signedWith('')}<samlp:Extensions>${nested(60_000)}</samlp:Extensions>` })), 'xml_too_deep'],
    ['60,000 levels inside an encrypted assertion (found once decrypted)', async () => inputFor(responseXml({ assertionXml: await encryptAssertion(slippedInto(nested(60_000)), 'gcm') }), { decryptionKey: keys.sp.key }), 'xml_too_deep'],
    [`${XML_LIMITS.maxElements + 1} sibling elements`, async () => inputFor(responseXml({ assertionXml: slippedInto('<x/>'.repeat(XML_LIMITS.maxElements + 1)) })), 'xml_too_large'],
    [`more than ${XML_LIMITS.maxChars} characters`, async () => inputFor(responseXml({ assertionXml: slippedInto(`<x>${'a'.repeat(XML_LIMITS.maxChars)}</x>`) })), 'xml_too_large'],
  ];

  it.each(cases)('refuses %s as a Malformed SAML Response, quickly and without a stack overflow', async (_label, build, reason) => {
    const { result, ms } = await outcome(await build());
    expect(result).toBeInstanceOf(SamlError);
    expect(result).toMatchObject({ reason, dashboardError: 'MALFORMED_SAML_RESPONSE' });
    expect(ms).toBeLessThan(1000);
  });

  it('accepts a signed assertion nested to the bound, so the limit refuses only what no IdP sends', async () => {
    // The Response and Assertion take two levels, the Advice chain the rest.
    const xml = responseXml({ assertionXml: signedWith(nested(XML_LIMITS.maxDepth - 2, 'saml:Advice')) });
    expect((await outcome(inputFor(xml))).result).toBe('accepted');
    const deeper = responseXml({ assertionXml: signedWith(nested(XML_LIMITS.maxDepth - 1, 'saml:Advice')) });
    expect((await outcome(inputFor(deeper))).result).toMatchObject({ reason: 'xml_too_deep' });
  });

  it.each([
    ['tags inside CDATA', `<![CDATA[${'<x>'.repeat(200)}]]>`],
    ['tags inside a comment outside the assertion', `<!--${'<x>'.repeat(200)}-->`],
    ['a ">" inside attribute values', `${'<saml:Advice a=">" b=\'/>\'>'.repeat(10)}${'</saml:Advice>'.repeat(10)}`],
  ])('counts only real elements: %s', async (_label, extra) => {
    const xml = responseXml({ assertionXml: `${signedWith('')}<samlp:Extensions>${extra}</samlp:Extensions>` });
    expect((await outcome(inputFor(xml))).result).toBe('accepted');
  });

  it('refuses end tags that close nothing rather than letting them hide depth', async () => {
    const xml = responseXml({ assertionXml: `${'</x>'.repeat(100)}${nested(100)}` });
    expect((await outcome(inputFor(xml))).result).toMatchObject({ reason: 'not_xml' });
  });

  it('refuses deep IdP metadata with a problem the connection form can show', () => {
    const metadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">${nested(60_000)}</md:EntityDescriptor>`;
    const error = (() => { try { parseIdpMetadata(metadata); return null; } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(IdpMetadataError);
    expect(error).toMatchObject({ problem: 'xml_too_deep' });
  });
});

describe('the XML walkers are iterative', () => {
  // Built with the parser directly, past the bound, to check the walkers themselves.
  const depth = 60_000;
  const doc = new DOMParser().parseFromString(
    `<r xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${'<saml:Advice>'.repeat(depth)}<saml:NameID>deep</saml:NameID><!--c-->${'</saml:Advice>'.repeat(depth)}</r>`,
    'text/xml',
  ) as unknown as Document;

  it('finds comments, elements and text 60,000 levels down', () => {
    expect(hasComment(doc.documentElement)).toBe(true);
    expect(descendants(doc, 'urn:oasis:names:tc:SAML:2.0:assertion', 'NameID')).toHaveLength(1);
    expect(descendants(doc, 'urn:oasis:names:tc:SAML:2.0:assertion', 'Advice')).toHaveLength(depth);
    expect(textOf(doc.documentElement)).toBe('deep');
  });
});
