'use strict';
// npm run bench:validate — the cost of validating one signed SAML response, in one process and one thread:
// Portico's validateSamlResponse (the built server's, as the ACS worker pool runs it), the crypto floor on the very
// same bytes (the SHA-256 digest of the canonical assertion, and the RSA-2048 verify of the canonical SignedInfo,
// which hashes it with SHA-256: two SHA-256 and one RSA verify), and bare node-saml. Measured in alternating short
// rounds so that a busy machine slows each alike. The fastest round of each is its cost (what other processes did not
// add: the usual estimator for CPU-bound work on a shared machine); the median is shown beside it. RESULT is
// Portico / floor, both fastest rounds.
const crypto = require('node:crypto');
const { SAML } = require('@node-saml/node-saml');
const { ExclusiveCanonicalization } = require('xml-crypto');
const { dist, result, SERVER } = require('./lib/harness');
// The DOM xml-crypto canonicalizes: the server's own @xmldom/xmldom.
const { DOMParser } = require(require.resolve('@xmldom/xmldom', { paths: [SERVER] }));
const idp = require('./lib/idp');

const ROUNDS = Number(process.env.BENCH_ROUNDS || 15);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS || 250);
const RESPONSES = 64;
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const endpoints = { acsUrl: 'https://portico.bench.example.com/sso/saml/acs/conn_bench', spEntityId: 'https://portico.bench.example.com/sso/saml/metadata/conn_bench' };

/**
 * What the floor hashes and verifies, computed once per response by xml-crypto (not by Portico's code): the assertion
 * without its enveloped Signature and SignedInfo, each canonicalized (exclusive C14N, as the signer declared), and the
 * signature value. Each is checked against the response itself, so the floor is proven to be the work validation needs.
 */
function cryptoInputs(samlResponse) {
  const doc = new DOMParser().parseFromString(Buffer.from(samlResponse, 'base64').toString('utf8'), 'text/xml');
  const assertion = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Assertion')[0];
  const signature = doc.getElementsByTagNameNS(DSIG, 'Signature')[0];
  const signedInfo = signature.getElementsByTagNameNS(DSIG, 'SignedInfo')[0];
  const text = (name) => signature.getElementsByTagNameNS(DSIG, name)[0].textContent.replace(/\s+/g, '');
  const signedInfoBytes = Buffer.from(new ExclusiveCanonicalization().process(signedInfo, { ancestorNamespaces: [] }).toString(), 'utf8');
  const copy = assertion.cloneNode(true);
  copy.removeChild(copy.getElementsByTagNameNS(DSIG, 'Signature')[0]);
  const assertionBytes = Buffer.from(new ExclusiveCanonicalization().process(copy, { ancestorNamespaces: [] }).toString(), 'utf8');
  const inputs = { assertionBytes, signedInfoBytes, digestValue: Buffer.from(text('DigestValue'), 'base64'), signatureValue: Buffer.from(text('SignatureValue'), 'base64') };
  if (!floor(inputs)) throw new Error('the floor’s canonical forms do not verify: they are not the bytes the IdP signed');
  return inputs;
}

const key = crypto.createPublicKey(idp.cert);
function floor({ assertionBytes, signedInfoBytes, digestValue, signatureValue }) {
  const digest = crypto.createHash('sha256').update(assertionBytes).digest();
  return digest.equals(digestValue) && crypto.verify('sha256', signedInfoBytes, key, signatureValue);
}

/** Runs `op` over the responses for about ROUND_MS; answers µs per operation. */
async function round(op, items) {
  let done = 0;
  const started = process.hrtime.bigint();
  const until = started + BigInt(ROUND_MS) * 1_000_000n;
  do {
    for (let i = 0; i < 8; i += 1) await op(items[(done + i) % items.length]);
    done += 8;
  } while (process.hrtime.bigint() < until);
  return Number(process.hrtime.bigint() - started) / 1e3 / done;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const { validateSamlResponse } = dist('auth/saml/validate-saml-response');
  const responses = Array.from({ length: RESPONSES }, (_, i) => idp.signedResponse(endpoints, i));
  const bytes = Buffer.from(responses[0], 'base64').length;
  const floorInputs = responses.map(cryptoInputs);
  const nodeSaml = new SAML({
    callbackUrl: endpoints.acsUrl, issuer: endpoints.spEntityId, audience: endpoints.spEntityId, idpCert: idp.cert, idpIssuer: idp.ENTITY_ID,
    wantAuthnResponseSigned: false, wantAssertionsSigned: true, acceptedClockSkewMs: 60_000, validateInResponseTo: 'never',
  });

  const contenders = {
    portico: async (samlResponse) => {
      const validated = await validateSamlResponse({
        samlResponse, idpEntityId: idp.ENTITY_ID, idpCertificates: [idp.cert], spEntityId: endpoints.spEntityId, acsUrl: endpoints.acsUrl, expectedInResponseTo: null, now: new Date(),
      });
      if (!validated.nameId) throw new Error('Portico read no NameID');
    },
    floor: (inputs) => {
      if (!floor(inputs)) throw new Error('the floor did not verify');
    },
    nodeSaml: async (SAMLResponse) => {
      const { profile } = await nodeSaml.validatePostResponseAsync({ SAMLResponse });
      if (!profile?.nameID) throw new Error('node-saml read no NameID');
    },
  };
  const itemsOf = (name) => (name === 'floor' ? floorInputs : responses);

  console.log(`${RESPONSES} responses signed (RSA-2048, SHA-256, exclusive C14N), each ${(bytes / 1024).toFixed(1)} KB of XML; canonical assertion ${floorInputs[0].assertionBytes.length} bytes, SignedInfo ${floorInputs[0].signedInfoBytes.length} bytes`);
  for (const [name, op] of Object.entries(contenders)) for (let i = 0; i < 3; i += 1) await round(op, itemsOf(name)); // warm up (JIT)
  const samples = { portico: [], floor: [], nodeSaml: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const [name, op] of Object.entries(contenders)) samples[name].push(await round(op, itemsOf(name)));
  }
  const us = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, Math.min(...values)]));
  const show = (label, name) => console.log(`${label.padEnd(58)} ${us[name].toFixed(1).padStart(8)} µs/op   (median ${median(samples[name]).toFixed(1)}; rounds: ${samples[name].map((v) => v.toFixed(0)).join(' ')})`);
  show('Portico validateSamlResponse', 'portico');
  show('crypto floor: SHA-256 of the assertion + RSA-2048 verify', 'floor');
  show('node-saml 5.1.0 validatePostResponseAsync', 'nodeSaml');
  console.log(`node-saml / Portico: ${(us.nodeSaml / us.portico).toFixed(1)}×; Portico / floor on medians: ${(median(samples.portico) / median(samples.floor)).toFixed(2)}`);
  result('validate', 'ratio', Math.round((us.portico / us.floor) * 100) / 100, '<=', 10);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
