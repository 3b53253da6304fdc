import fs from 'node:fs';
import path from 'node:path';

const MODULES = path.resolve(__dirname, '../../src/modules');

function services(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? services(path.join(dir, e.name)) : e.name.endsWith('.service.ts') ? [path.join(dir, e.name)] : []));
}

describe('the service boundary', () => {
  it('no service imports a transport (graphql/ or http/): pagination of rows lives in lib/keyset-pagination', () => {
    const offending = services(MODULES).flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)]
      .map((m) => m[1]!)
      .filter((spec) => /(^|\/)(graphql|http)\//.test(spec))
      .map((spec) => `${path.relative(MODULES, file)} → ${spec}`));
    expect(offending).toEqual([]);
  });
});
