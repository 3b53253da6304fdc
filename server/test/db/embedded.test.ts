import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openDatabase, type Database } from '../../src/db/database';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { ensurePrivateDir } from '../../src/db/private-dir';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Connects to the engine's socket (or TCP port) as another local user: what an intruder on the machine can do. */
function connectAsAnotherUser(host: string, port: number): string {
  const target = host.startsWith('/') ? { path: path.join(host, `.s.PGSQL.${port}`) } : { host, port };
  const script = `require('net').connect(${JSON.stringify(target)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
  return spawnSync(process.execPath, ['-e', script], { uid: NOBODY, gid: NOBODY, cwd: '/', encoding: 'utf8' }).stdout.trim();
}

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

// The embedded engine (PGlite behind pglite-socket) has one session: concurrent parameterized queries from
// several connections would interleave their Parse/Bind messages in it.
describe('the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-embedded-'));
  let db: Database;
  beforeAll(async () => { db = await openDatabase({ databaseUrl: undefined, dataDir }); });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses one connection, so statements from concurrent requests cannot interleave in its single session', () => {
    expect((db.dataSource.driver.options as { extra?: { max?: number } }).extra?.max).toBe(1);
  });

  it('answers many concurrent parameterized queries, each with its own parameters', async () => {
    // Different statements with different parameter counts, as real traffic sends.
    const run = (i: number) => (i % 2 ? db.dataSource.query('SELECT $1::int AS n', [i]) : db.dataSource.query('SELECT $1::int AS n, $2::text AS tag', [i, `q${i}`]));
    for (let round = 0; round < 10; round += 1) {
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => run(i)));
      expect(answers.map((rows) => rows[0])).toEqual(Array.from({ length: 60 }, (_, i) => (i % 2 ? { n: i } : { n: i, tag: `q${i}` })));
    }
  });

  it('keeps each connection’s extended queries whole: a large statement split over several reads never runs another connection’s', async () => {
    // Its own pool is one connection; the benchmarks, the tools and the test run open more to the same engine.
    const clients = await Promise.all([0, 1, 2].map(async () => {
      const client = new Client({ host: path.join(dataDir, 'socket'), port: 5432, user: 'postgres', password: 'postgres', database: 'postgres' });
      await client.connect();
      return client;
    }));
    try {
      const big = 'x'.repeat(300_000); // a Parse and Bind that reach the socket in several reads
      const answers = await Promise.all(clients.map(async (client, k) => {
        const rows: unknown[] = [];
        for (let i = 0; i < 30; i += 1) {
          const result = k === 0 ? await client.query('SELECT length($1::text) AS len, $2::int AS v', [big, i]) : await client.query(`SELECT $1::int AS v, ${k} AS k`, [i]);
          rows.push(result.rows[0]);
        }
        return rows;
      }));
      // Before: "bind message supplies 2 parameters, but prepared statement "" requires 1" (another connection's Parse
      // had replaced the unnamed statement between this one's Parse and Bind), 14 times in 120.
      expect(answers).toEqual([0, 1, 2].map((k) => Array.from({ length: 30 }, (_, i) => (k === 0 ? { len: big.length, v: i } : { v: i, k }))));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('rolls back what a connection that left mid-query had run, and goes on serving the others', async () => {
    const socket = { host: path.join(dataDir, 'socket'), port: 5432, user: 'postgres', password: 'postgres', database: 'postgres' };
    await db.dataSource.query('CREATE TABLE IF NOT EXISTS left_open (v int)');
    const leaver = new Client(socket);
    leaver.on('error', () => undefined); // it reads replies to messages pg did not send itself, and loses its socket
    await leaver.connect();
    // Parse, Bind, Execute of an INSERT, then gone before its Sync (a client killed mid-request).
    const wire = (leaver as unknown as { connection: { parse(q: object): void; bind(q: object): void; execute(q: object): void; flush(): void; stream: { destroy(): void } } }).connection;
    wire.parse({ text: 'INSERT INTO left_open VALUES ($1)', types: [] });
    wire.bind({ values: ['7'] });
    wire.execute({});
    wire.flush();
    await new Promise((r) => setTimeout(r, 200));
    wire.stream.destroy();
    await new Promise((r) => setTimeout(r, 200));
    // Before: nothing rolled the INSERT back, and the next connection's Sync committed it with its own query.
    expect(await db.dataSource.query('SELECT count(*)::int AS n FROM left_open')).toEqual([{ n: 0 }]);
    expect(await db.dataSource.query('SELECT $1::int AS n', [5])).toEqual([{ n: 5 }]);
  });

  it('runs its statements off the main thread: a slow query does not hold the event loop (requests keep being answered)', async () => {
    const lateness: number[] = [];
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      lateness.push(now - last - 10);
      last = now;
    }, 10);
    try {
      await db.dataSource.query('SELECT pg_sleep(0.5)');
    } finally {
      clearInterval(tick);
    }
    // On the main thread, PGlite ran the sleep synchronously: one tick came 500 ms late and the rest never ran.
    expect(lateness.length).toBeGreaterThan(20);
    expect(Math.max(...lateness)).toBeLessThan(200);
  });

  it('stops cleanly and opens again on the same data, with what was committed', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-embedded-reopen-'));
    try {
      const first = await openDatabase({ databaseUrl: undefined, dataDir: other });
      await first.dataSource.query('CREATE TABLE kept (v int)');
      await first.dataSource.query('INSERT INTO kept VALUES (42)');
      await first.close();
      const second = await openDatabase({ databaseUrl: undefined, dataDir: other });
      try {
        expect(await second.dataSource.query('SELECT v FROM kept')).toEqual([{ v: 42 }]);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps concurrent transactions apart: a rollback undoes only its own writes', async () => {
    await db.dataSource.query('CREATE TABLE IF NOT EXISTS embedded_probe (v int)');
    const failing = db.dataSource.transaction(async (m) => {
      await m.query('INSERT INTO embedded_probe VALUES ($1)', [1]);
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('roll back');
    }).catch(() => 'rolled back');
    const committing = db.dataSource.transaction((m) => m.query('INSERT INTO embedded_probe VALUES ($1)', [2]));
    expect(await failing).toBe('rolled back');
    await committing;
    expect(await db.dataSource.query('SELECT v FROM embedded_probe ORDER BY v')).toEqual([{ v: 2 }]);
  });
});

// PGlite accepts any user and password: the only guard is who can reach its socket.
describe('access to the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-embedded-access-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('listens only on a Unix socket in a folder of the data folder that only its owner can enter', async () => {
    fs.chmodSync(dataDir, 0o755);
    const engine = await startEmbeddedPostgres(dataDir);
    try {
      expect(engine.host).toBe(path.join(dataDir, 'socket'));
      expect(fs.statSync(path.join(engine.host, `.s.PGSQL.${engine.port}`)).isSocket()).toBe(true);
      expect(modeOf(engine.host)).toBe(0o700);
      expect(fs.statSync(engine.host).uid).toBe(process.getuid!());
      // The database files (password hashes) are as private as the socket.
      expect(modeOf(dataDir)).toBe(0o700);
    } finally {
      await engine.stop();
    }
  });

  (isRoot ? it : it.skip)('refuses a connection from another local user', async () => {
    const engine = await startEmbeddedPostgres(dataDir);
    try {
      expect(connectAsAnotherUser(engine.host, engine.port)).toBe('EACCES');
    } finally {
      await engine.stop();
    }
  });

  it('puts the socket in a private temporary folder when the data folder path is too long for a socket, and removes it at stop', async () => {
    const deep = path.join(dataDir, 'a-data-folder-whose-path-is-longer-than-a-unix-socket-path-may-be'.repeat(2));
    const engine = await startEmbeddedPostgres(deep);
    try {
      expect(engine.host.startsWith(os.tmpdir())).toBe(true);
      expect(modeOf(engine.host)).toBe(0o700);
    } finally {
      await engine.stop();
    }
    expect(fs.existsSync(engine.host)).toBe(false);
  });

  const unsafeSocketFolders: Array<[string, (dir: string) => void, string]> = [
    ['a link to another folder', (dir) => fs.symlinkSync(os.tmpdir(), dir), 'must be a folder'],
    ...(isRoot ? [['a folder another user owns', (dir: string) => { fs.mkdirSync(dir); fs.chownSync(dir, NOBODY, NOBODY); }, 'belongs to another user'] as [string, (dir: string) => void, string]] : []),
  ];
  it.each(unsafeSocketFolders)('refuses a socket folder that is %s', (_case, make, message) => {
    const dir = path.join(dataDir, `socket-${Math.random().toString(36).slice(2)}`);
    make(dir);
    expect(() => ensurePrivateDir(dir)).toThrow(message);
  });

  it('tightens a socket folder left open to others to mode 0700', () => {
    const dir = path.join(dataDir, 'socket-open');
    fs.mkdirSync(dir, { mode: 0o777 });
    fs.chmodSync(dir, 0o777);
    ensurePrivateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
  });
});
