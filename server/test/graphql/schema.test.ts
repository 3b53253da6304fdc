import fs from 'node:fs';
import path from 'node:path';
import { printPorticoSchema } from '../../src/graphql/schema';

describe('server/schema.graphql', () => {
  it('matches the schema the resolvers build (run `pnpm --filter @portico/server schema` after a change)', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8');
    expect(printPorticoSchema()).toBe(committed);
  });
});
