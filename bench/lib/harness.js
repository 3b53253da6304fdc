'use strict';
// Shared by the benchmarks: a database (DATABASE_URL, else the embedded engine the server runs itself, as `npm start`
// does), the built server as a child process (what `npm start` runs), and a fixture workspace with an API key.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SERVER = path.dirname(require.resolve('@portico/server/package.json'));
const dist = (p) => require(path.join(SERVER, 'dist', p));

/** `BENCH_PORTS=4600-4699`: the ports a run may listen on (several people benchmarking on one machine each keep to theirs). */
function portRange() {
  const match = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? '');
  return match ? { next: Number(match[1]), last: Number(match[2]) } : null;
}
const range = portRange();

const listenable = (port) => new Promise((resolve, reject) => {
  const s = net.createServer().listen(port, '127.0.0.1', () => {
    const { port: bound } = s.address();
    s.close(() => resolve(bound));
  }).on('error', (err) => (err.code === 'EADDRINUSE' && port !== 0 ? resolve(null) : reject(err)));
});

/** A free port: the next one of BENCH_PORTS, else one the system picks (its ephemeral range, which nobody configures). */
async function freePort() {
  if (!range) return listenable(0);
  while (range.next <= range.last) {
    const port = await listenable(range.next++);
    if (port) return port;
  }
  throw new Error(`BENCH_PORTS ${process.env.BENCH_PORTS}: no free port left`);
}

/**
 * DATABASE_URL, or the embedded engine exactly as `npm start` runs it: the server's own (PGlite in a thread of the
 * server process, one connection, its defaults), in a fresh data folder. The benchmark reaches that engine through
 * the server's socket in the folder, so with it the server must be up before the fixture is made; every benchmark
 * starts the server first. `serverEnv` is what points a server at the database.
 */
function openDatabase() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, kind: 'postgres', serverEnv: { DATABASE_URL: process.env.DATABASE_URL }, stop: async () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-db-'));
  // The server puts its socket in <dir>/socket when that path fits a Unix socket (else in a folder of its choosing).
  if (path.join(dir, 'socket', '.s.PGSQL.5432').length > 103) throw new Error(`${os.tmpdir()} is too long a path for the embedded engine's socket: set TMPDIR to a shorter folder`);
  return {
    url: `postgres://postgres:postgres@localhost/postgres?host=${encodeURIComponent(path.join(dir, 'socket'))}`,
    kind: 'embedded',
    serverEnv: { PORTICO_DATA_DIR: dir },
    stop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the built server on `database` (openDatabase's) until /ready answers (/health does from the first moment). */
async function startServer(database, env = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ? process.env.BENCH_SERVER_NODE_ARGS.split(' ') : []), path.join(SERVER, 'dist', 'main.js')], {
    env: { ...process.env, ...database.serverEnv, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, PORTICO_SEED_DEMO: 'false', LOG_LEVEL: 'warn', PORTICO_SECRET_KEY: crypto.randomBytes(32).toString('hex'), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    },
  };
}

/**
 * createFixture, once the server is up (it may run the database: openDatabase); should that fail, the server and the
 * database are stopped before the error goes on.
 */
async function createFixtureBeside(database, server) {
  try {
    return await createFixture(database.url);
  } catch (err) {
    await server.stop();
    await database.stop();
    throw err;
  }
}

/** A workspace, its Staging environment and an API key, written through the server's own services. */
async function createFixture(databaseUrl) {
  const { createDataSource, migrate } = dist('db/data-source');
  const db = await createDataSource({ url: databaseUrl }, 2).initialize();
  await migrate(db);
  const { createUser } = dist('modules/accounts/accounts.service');
  const { createWorkspaceWithEnvironments } = dist('modules/workspace/workspace.service');
  const { newId } = dist('lib/ids');
  const { hashToken } = dist('lib/tokens');
  const { environments } = await db.transaction(async (m) => {
    const user = await createUser(m, { name: 'Bench', email: `bench-${crypto.randomUUID()}@example.com`, password: 'bench-password-long-enough' });
    return createWorkspaceWithEnvironments(m, { name: 'Bench', adminUserId: user.id });
  });
  const environment = environments.find((e) => e.kind === 'STAGING');
  const apiKey = `sk_test_${crypto.randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(40, 'x').slice(0, 40)}`;
  // FULL_ENVIRONMENT: bench:webhooks creates its endpoint with it (webhook endpoints are that scope's, as in GraphQL).
  await db.query(`INSERT INTO api_keys (id, environment_id, name, secret_hash, prefix, last_four, scope) VALUES ($1, $2, $3, $4, $5, $6, 'FULL_ENVIRONMENT')`, [
    newId('apiKey'), environment.id, 'bench', hashToken(apiKey), 'sk_test_', apiKey.slice(-4),
  ]);
  return { db, environment, apiKey, scope: { kind: 'environment', environmentId: environment.id } };
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The last line every benchmark prints: `RESULT <name> <metric>=<value> target=<op><target> [<figure>=<value> [target=…]]… pass|fail`.
 * `more` adds figures to the same line: each with a target must meet it too; one without a target is reported only.
 */
function result(name, metric, value, op, target, more = []) {
  const meets = (v, o, t) => (o === '>=' ? v >= t : o === '<=' ? v <= t : o === '<' ? v < t : v > t);
  const figures = [{ metric, value, op, target }, ...more];
  const pass = figures.every((f) => f.op === undefined || meets(f.value, f.op, f.target));
  const text = figures.map((f) => `${f.metric}=${f.value}${f.op === undefined ? '' : ` target=${f.op}${f.target}`}`).join(' ');
  console.log(`RESULT ${name} ${text} ${pass ? 'pass' : 'fail'}`);
}

/** The machine's load average (what `uptime` prints), to read a run's figures against: the benchmarks share the cores. */
function machineLoad() {
  return `load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.availableParallelism()} cores`;
}

module.exports = { dist, freePort, openDatabase, startServer, createFixture, percentile, result, machineLoad, SERVER };

/** CPU seconds used so far by each process whose command line matches, from /proc (Linux). */
function cpuSecondsByProcess() {
  const tick = 100; // USER_HZ on Linux
  const out = {};
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out[pid] = { cmd, seconds: (Number(fields[11]) + Number(fields[12])) / tick };
    } catch {
      // the process ended
    }
  }
  return out;
}

/** Where the CPU went between two snapshots, grouped by a label per command line. */
function cpuSplit(before, after, label) {
  const groups = {};
  for (const [pid, { cmd, seconds }] of Object.entries(after)) {
    const used = seconds - (before[pid]?.seconds ?? 0);
    if (used <= 0) continue;
    const name = label(cmd, Number(pid));
    groups[name] = (groups[name] ?? 0) + used;
  }
  return groups;
}

/** CPU seconds of a process's main thread (its thread ID is its PID) and of all its other threads together (Linux). */
function threadCpuSeconds(pid) {
  const seconds = (file) => {
    const stat = fs.readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const all = seconds(`/proc/${pid}/stat`);
  const main = seconds(`/proc/${pid}/task/${pid}/stat`);
  return { main, others: all - main };
}

module.exports.cpuSecondsByProcess = cpuSecondsByProcess;
module.exports.threadCpuSeconds = threadCpuSeconds;
module.exports.cpuSplit = cpuSplit;
module.exports.createFixtureBeside = createFixtureBeside;
