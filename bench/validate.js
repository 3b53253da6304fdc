'use strict';
// npm run bench:validate — the cost of validating one signed SAML response, in one process and one thread:
// Portico's validateSamlResponse (the built server's, as the ACS worker pool runs it), the crypto floor on the very
// same bytes (the SHA-256 digest of the canonical assertion, and the RSA-2048 verify of the canonical SignedInfo,
// which hashes it with SHA-256: two SHA-256 and one RSA verify), and bare node-saml. In alternating blocks, timed in
// the CPU time this process uses (process.cpuUsage: what other processes take on a busy machine does not count, the
// garbage collector does), the wall clock shown beside it. RESULT is Portico / floor, CPU µs per operation.
const crypto = require('node:crypto');
const { SAML } = require('@node-saml/node-saml');
const { ExclusiveCanonicalization } = require('xml-crypto');
const { dist, result, SERVER } = require('./lib/harness');
// The DOM xml-crypto canonicalizes: the server's own @xmldom/xmldom.
const { DOMParser } = require(require.resolve('@xmldom/xmldom', { paths: [SERVER] }));
const idp = require('./lib/idp');

const SECONDS = Number(process.env.BENCH_SECONDS || 8);
/**
 * Operations per block (the floor's blocks ten times as many). Blocks of 100, each followed by the 10 ms pause below,
 * charged Portico about 60 µs per validation more than running steadily: measured alone, 358 µs of CPU per validation
 * in blocks of 100, 301 in blocks of 1,000, 285 in one run of 8,000, each with its pauses counted. A pause that often
 * leaves V8 idle enough to start garbage-collection work of its own (the heap shrunk while idle, marking finished
 * early) that a busy validation thread never does; in blocks of 1,000 it is spread over ten times the work.
 */
const BLOCK = 1000;
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

/** CPU time this process used since `from` (process.cpuUsage), in µs: what other processes do does not count. */
const cpuUs = (from) => {
  const { user, system } = process.cpuUsage(from);
  return user + system;
};

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
  console.log(`${RESPONSES} responses signed (RSA-2048, SHA-256, exclusive C14N), each ${(bytes / 1024).toFixed(1)} KB of XML; canonical assertion ${floorInputs[0].assertionBytes.length} bytes, SignedInfo ${floorInputs[0].signedInfoBytes.length} bytes`);
  // Warm up (JIT).
  for (let i = 0; i < 200; i += 1) {
    await contenders.portico(responses[i % RESPONSES]);
    contenders.floor(floorInputs[i % RESPONSES]);
    if (i % 20 === 0) await contenders.nodeSaml(responses[i % RESPONSES]);
  }
  // Blocks of BLOCK operations, each contender in turn, timed in CPU time; after each block a pause whose CPU time (the
  // garbage collector's helper threads finishing that block's work) is charged to the block before it.
  const cpu = { portico: 0, floor: 0, nodeSaml: 0 };
  const count = { portico: 0, floor: 0, nodeSaml: 0 };
  const wall = { portico: 0, floor: 0, nodeSaml: 0 };
  const block = async (name, n, op) => {
    const [started, clock] = [process.cpuUsage(), process.hrtime.bigint()];
    for (let i = 0; i < n; i += 1) await op(count[name] + i);
    wall[name] += Number(process.hrtime.bigint() - clock) / 1e3;
    await new Promise((resolve) => setTimeout(resolve, 10));
    cpu[name] += cpuUs(started);
    count[name] += n;
  };
  const until = Date.now() + SECONDS * 1000;
  for (let cycle = 0; Date.now() < until || count.nodeSaml < 5; cycle += 1) {
    await block('portico', BLOCK, (i) => contenders.portico(responses[i % RESPONSES]));
    // Ten times as many: the floor's block then lasts about as long, so the pause after it weighs as little.
    await block('floor', BLOCK * 10, (i) => contenders.floor(floorInputs[i % RESPONSES]));
    await block('nodeSaml', 2, (i) => contenders.nodeSaml(responses[i % RESPONSES]));
  }
  const us = Object.fromEntries(Object.keys(cpu).map((name) => [name, cpu[name] / count[name]]));
  const show = (label, name) => console.log(`${label.padEnd(58)} ${us[name].toFixed(1).padStart(8)} µs CPU/op   (wall clock ${(wall[name] / count[name]).toFixed(1)} µs/op on this machine; ${count[name]} timed)`);
  show('Portico validateSamlResponse', 'portico');
  show('crypto floor: SHA-256 of the assertion + RSA-2048 verify', 'floor');
  show('node-saml 5.1.0 validatePostResponseAsync', 'nodeSaml');
  console.log(`node-saml / Portico: ${(us.nodeSaml / us.portico).toFixed(1)}×`);
  result('validate', 'ratio', Math.round((us.portico / us.floor) * 100) / 100, '<=', 10);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
