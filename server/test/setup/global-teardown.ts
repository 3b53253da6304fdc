import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.__porticoEmbedded;
  if (!embedded) return;
  await new Promise((resolve) => {
    embedded.child.once('exit', resolve);
    embedded.child.kill('SIGTERM');
  });
  fs.rmSync(embedded.dir, { recursive: true, force: true });
}
