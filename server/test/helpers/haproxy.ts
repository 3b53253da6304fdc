import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './process';

export const HAPROXY = process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy';

/**
 * Debian's haproxy in front of `backends`, round-robin per request (`http-server-close`: no backend connection
 * outlives its request, so consecutive requests on one client connection still alternate), adding
 * X-Forwarded-For as a real balancer does.
 */
export async function startHaproxy(backends: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-haproxy-'));
  const config = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(config, [
    'global', '  maxconn 512',
    'defaults', '  mode http', '  timeout connect 2s', '  timeout client 75s', '  timeout server 30s', '  option forwardfor', '  option http-server-close',
    'frontend portico', `  bind 127.0.0.1:${port}`, '  default_backend replicas',
    'backend replicas', '  balance roundrobin',
    ...backends.map((b, i) => `  server r${i + 1} ${new URL(b).host}`),
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(`${url}/health`);
      break;
    } catch {
      if (i > 100) throw new Error(`haproxy did not listen:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
