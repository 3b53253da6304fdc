import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');
const SAML_DIR = path.join(SRC, 'auth/saml');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('the SAML core boundary', () => {
  it('auth/saml imports only Node built-ins, its XML/SAML libraries, shared, and itself (no database, no HTTP)', () => {
    const allowed = /^(node:|@node-saml\/node-saml$|@xmldom\/xmldom$|xml-crypto$|xml-encryption$|@portico\/shared$|\.\/)/;
    const offending = sources(SAML_DIR).flatMap((f) => importsOf(f).filter((i) => !allowed.test(i)).map((i) => `${path.relative(SRC, f)} → ${i}`));
    expect(offending).toEqual([]);
  });

  it('no code outside auth/saml imports node-saml', () => {
    const offending = sources(SRC).filter((f) => !f.startsWith(SAML_DIR)).filter((f) => importsOf(f).some((i) => i.startsWith('@node-saml')));
    expect(offending).toEqual([]);
  });
});
