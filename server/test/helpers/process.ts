import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TEST_SECRET_KEY } from './app';

export const MAIN = path.resolve(__dirname, '../../dist/main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

export interface PorticoProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Runs the built server (`node server/dist/main.js`, what `npm start` and the Docker image run) until it has
 * started (/ready no longer says "starting"); `command` runs it another way (through `scripts/portico.js`, in its own PID namespace …).
 */
export async function startPorticoProcess(env: Record<string, string>, timeoutMs = 60_000, command: string[] = [process.execPath, MAIN]): Promise<PorticoProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  // A process on the run's shared database is one more replica of every other test app and process on it: they pick
  // up each other's queued jobs (webhook deliveries, notifications), so it gets the same secret key and the same
  // loopback-allowed outbound switch, as replicas of one deployment must have.
  if (env.DATABASE_URL && env.DATABASE_URL === process.env.PORTICO_TEST_DATABASE_URL) {
    env = { PORTICO_SECRET_KEY: TEST_SECRET_KEY, PORTICO_ALLOW_PRIVATE_URLS: 'true', TRUST_PROXY: 'true', ...env };
  }
  const child = spawn(command[0], command.slice(1), {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Portico exited with ${child.exitCode}:\n${output}`);
    try {
      // Started: /ready says anything but "starting" (/health, liveness, answers 200 from the first moment).
      const res = await fetch(`${url}/ready`);
      if (res.ok || (await res.json()).status !== 'starting') break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (Date.now() >= deadline) {
    child.kill('SIGKILL');
    throw new Error(`Portico did not start within ${timeoutMs} ms:\n${output}`);
  }
  return {
    child,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Direct children of `pid`, from /proc (Linux). */
export function childrenOf(pid: number): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

/** The sign-up link Portico printed for `email` on its console (no SMTP_URL): what a first-run user copies. */
export function printedConfirmationLink(output: string, email: string): string {
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`Sign-up confirmation link for ${escaped} \\(valid 24 h\\): (\\S+)`).exec(output);
  if (!match) throw new Error(`no sign-up link printed for ${email}:\n${output}`);
  return match[1]!;
}
