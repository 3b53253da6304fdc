import fs from 'node:fs';
import path from 'node:path';
import { printPorticoSchema } from './schema';

// Writes server/schema.graphql; run `pnpm --filter @portico/server schema` after changing a resolver or type.
const target = path.resolve(__dirname, '../../schema.graphql');
fs.writeFileSync(target, printPorticoSchema());
process.stdout.write(`wrote ${target}\n`);
