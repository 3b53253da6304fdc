import { createHash, createPublicKey, timingSafeEqual, verify as verifySignature, type KeyObject } from 'node:crypto';
import { canonicalize } from './c14n';
import { parseCertificate } from './certificates';
import { SamlError } from './saml-error';
import { childElements, firstChild, NS, textContentOf, walkDescendants } from './xml';

/**
 * XML-DSig verification of the one enveloped signature SAML uses, on the document Portico already parsed.
 *
 * node-saml verifies by re-parsing the message three times and resolving references with XPath over the
 * whole document; this does the same checks once, on Portico's own parse (xml-parser.ts), with a canonicalizer
 * written for the profile (c14n.ts: the signed element serialised once, the Signature skipped rather than removed
 * from a copy) and Node's RSA: `npm run bench:validate` measures it against the crypto floor. The profile is narrow
 * on purpose: one Reference, to the signed element itself by its ID; transforms limited to enveloped-signature and
 * exclusive or inclusive C14N 1.0 without comments; RSA with SHA-2; the key from the connection's certificates, never
 * from the message. Anything else is refused. Tests compare the canonical forms with xml-crypto's and the verdicts
 * with node-saml's (test/saml/differential.test.ts).
 */

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const SIGNATURE_HASHES: Record<string, string> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': 'sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};
const DIGEST_HASHES: Record<string, string> = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

// Algorithm URIs come from the message: look them up as own keys, or Algorithm="constructor" finds Object.
const algorithmIn = <T>(table: Record<string, T>, uri: string): T | undefined => (Object.hasOwn(table, uri) ? table[uri] : undefined);

/** `check` marks the two cryptographic checks (digest, signature value) apart from the profile's structural refusals. */
const invalid = (why: string, check: 'profile' | 'digest' | 'value' = 'profile') =>
  new SamlError({ reason: 'signature_invalid', message: 'The signature does not verify: the response was altered after signing, or its signature does not cover the assertion', details: { cause: why, check } });

const publicKeys = new Map<string, KeyObject>();
function publicKeyOf(certificate: string): KeyObject {
  let key = publicKeys.get(certificate);
  if (!key) {
    key = createPublicKey(parseCertificate(certificate).publicKey.export({ type: 'spki', format: 'pem' }));
    if (publicKeys.size > 256) publicKeys.clear();
    publicKeys.set(certificate, key);
  }
  return key;
}

function prefixList(method: Element): string[] {
  const inclusive = firstChild(method, EXC_C14N, 'InclusiveNamespaces');
  return (inclusive?.getAttribute('PrefixList') ?? '').split(/\s+/).filter(Boolean);
}

/** `node` canonicalized by `algorithm` (one of the profile's two), in its document context, `skip`'s subtree left out. */
function canonicalizeBy(node: Element, algorithm: string, method: Element | undefined, skip: Node | null): string {
  if (algorithm !== EXC_C14N && algorithm !== C14N) throw invalid(`canonicalization ${algorithm} is not accepted`);
  const exclusive = algorithm === EXC_C14N;
  return canonicalize(node, { exclusive, inclusivePrefixes: exclusive && method ? prefixList(method) : [], skip });
}

/** How many elements carry `id` as an ID-like attribute, to refuse a document where the signed ID is not unique. */
function countIds(root: Node, id: string): number {
  let count = 0;
  walkDescendants(root, (node) => {
    if (node.nodeType !== 1) return;
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i += 1) {
      const { name, value } = attributes[i]!;
      if (value === id && (name === 'ID' || name === 'Id' || name === 'id')) count += 1;
    }
  });
  return count;
}

/** Refuses a document in which two elements carry the same ID-like attribute value (ID, Id or id). */
export function checkUniqueIds(root: Node): void {
  const seen = new Set<string>();
  walkDescendants(root, (node) => {
    if (node.nodeType !== 1) return;
    for (const attribute of ['ID', 'Id', 'id']) {
      const value = (node as Element).getAttribute(attribute);
      if (value === null || value === '') continue;
      if (seen.has(value)) throw invalid(`more than one element has the ID ${value}`);
      seen.add(value);
    }
  });
}

function decode(base64: string | null | undefined): Buffer {
  return Buffer.from((base64 ?? '').replace(/\s+/g, ''), 'base64');
}

/**
 * Verifies the enveloped signature that is a direct child of `element` against the connection's
 * `certificates` and answers the certificate that verified it; throws a SamlError (`unsigned`, `signature_invalid`) otherwise.
 */
export function verifyEnvelopedSignature(element: Element, certificates: string[]): string {
  const signatures = childElements(element, NS.dsig, 'Signature');
  if (signatures.length === 0) throw new SamlError({ reason: 'unsigned', message: `The ${element.localName} is not signed` });
  if (signatures.length > 1) throw invalid(`the ${element.localName} carries ${signatures.length} signatures`);
  const signature = signatures[0]!;
  const signedInfos = childElements(signature, NS.dsig, 'SignedInfo');
  if (signedInfos.length !== 1) throw invalid('a signature needs exactly one SignedInfo');
  const signedInfo = signedInfos[0]!;
  const c14nMethod = firstChild(signedInfo, NS.dsig, 'CanonicalizationMethod');
  const signatureMethod = firstChild(signedInfo, NS.dsig, 'SignatureMethod')?.getAttribute('Algorithm') ?? '';
  const signatureHash = algorithmIn(SIGNATURE_HASHES, signatureMethod);
  if (!c14nMethod || !signatureHash) throw invalid('SignedInfo lacks an accepted CanonicalizationMethod or SignatureMethod');

  // One reference, to this very element, by an ID no other element shares.
  const references = childElements(signedInfo, NS.dsig, 'Reference');
  if (references.length !== 1) throw invalid(`a signature must have exactly one Reference, found ${references.length}`);
  const reference = references[0]!;
  const id = element.getAttribute('ID') ?? '';
  if (!id || reference.getAttribute('URI') !== `#${id}`) throw invalid(`the signature references ${reference.getAttribute('URI') ?? 'nothing'}, not the ${element.localName} it sits in (#${id})`);
  if (countIds(element.ownerDocument!, id) !== 1) throw invalid(`more than one element has the ID ${id}`);

  const transforms = (firstChild(reference, NS.dsig, 'Transforms') ? childElements(firstChild(reference, NS.dsig, 'Transforms')!, NS.dsig, 'Transform') : []);
  const names = transforms.map((t) => t.getAttribute('Algorithm') ?? '');
  const c14nTransforms = transforms.filter((t) => t.getAttribute('Algorithm') !== ENVELOPED);
  if (names[0] !== ENVELOPED || names.filter((n) => n === ENVELOPED).length !== 1 || c14nTransforms.length > 1) {
    throw invalid(`transforms must be enveloped-signature then one canonicalization, got ${names.join(', ') || 'none'}`);
  }
  const c14nTransform = c14nTransforms[0];
  const referenceC14n = c14nTransform?.getAttribute('Algorithm') ?? C14N;
  const digestHash = algorithmIn(DIGEST_HASHES, firstChild(reference, NS.dsig, 'DigestMethod')?.getAttribute('Algorithm') ?? '');
  if (!digestHash) throw invalid('the Reference lacks an accepted DigestMethod');

  // Digest: the element canonicalized in its context, without this signature (the enveloped-signature transform,
  // applied while serialising: the signed element is never copied or changed).
  const canonical = canonicalizeBy(element, referenceC14n, c14nTransform, signature);
  const digest = createHash(digestHash).update(canonical, 'utf8').digest();
  const expected = decode(textOfDirect(reference, 'DigestValue'));
  if (expected.length !== digest.length || !timingSafeEqual(expected, digest)) throw invalid('the digest does not match: the signed content was changed', 'digest');

  // Signature over SignedInfo, with a key from the connection's certificates (never from the message).
  const signedInfoCanonical = canonicalizeBy(signedInfo, c14nMethod.getAttribute('Algorithm') ?? '', c14nMethod, null);
  const value = decode(textOfDirect(signature, 'SignatureValue'));
  const verified = certificates.find((certificate) => {
    try {
      return verifySignature(signatureHash, Buffer.from(signedInfoCanonical, 'utf8'), publicKeyOf(certificate), value);
    } catch {
      return false;
    }
  });
  if (!verified) throw invalid('the signature value does not verify with the connection’s certificates', 'value');
  return verified;
}

function textOfDirect(parent: Element, localName: string): string | null {
  const child = firstChild(parent, NS.dsig, localName);
  return child ? textContentOf(child) : null;
}
