#!/usr/bin/env node
// The README's commands on a fresh clone with only Node and npm: `npm start` and `npm test`.
// Each makes sure the pinned pnpm is present, installs with the frozen lockfile, builds, then runs.
// `npm start` is quiet: one line per step and the server's banner; the full output goes to .tools/start.log, and
// `npm start -- --verbose` (or PORTICO_VERBOSE=1) shows it all as it happens. test, build and bench stay verbose.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const pinned = require(path.join(root, 'package.json')).packageManager.split('@')[1];
const toolsDir = path.join(root, '.tools');
// PORTICO_START_LOG moves it (tests that start Portico side by side each keep their own).
const LOG_FILE = process.env.PORTICO_START_LOG ? path.resolve(process.env.PORTICO_START_LOG) : path.join(toolsDir, 'start.log');
const TAIL_LINES = 40;

/** Quiet (npm start) or verbose: where a step's output goes. */
const out = { quiet: false, log: null };

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** One finished step, as `npm start` prints it: "  ✓ Built the server and dashboard   41.2 s". */
function stepLine(label, since) {
  if (out.quiet) process.stdout.write(`  ✓ ${label.padEnd(48)} ${since ? seconds(since) : ''}`.trimEnd() + '\n');
}

function failQuietly(label, status) {
  const text = fs.readFileSync(LOG_FILE, 'utf8').trimEnd().split('\n');
  process.stderr.write(`  ✗ ${label} failed (exit ${status}). Its last ${Math.min(TAIL_LINES, text.length)} lines:\n\n`);
  process.stderr.write(`${text.slice(-TAIL_LINES).join('\n')}\n\n`);
  process.stderr.write(`Full log: ${path.relative(process.cwd(), LOG_FILE) || LOG_FILE}. Run \`npm start -- --verbose\` to see everything as it happens.\n`);
  process.exit(status ?? 1);
}

/** Runs a step to its end; quiet, its output goes to the log file and only a line (or its failure) is shown. */
function run(cmd, args, opts = {}, label = `${path.basename(cmd)} ${args.join(' ')}`) {
  const started = Date.now();
  if (out.quiet) fs.appendFileSync(LOG_FILE, `\n$ ${cmd} ${args.join(' ')}\n`);
  const stdio = out.quiet ? ['ignore', out.log, out.log] : 'inherit';
  const result = spawnSync(cmd, args, { cwd: root, stdio, ...opts });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    if (out.quiet) failQuietly(label, result.status);
    process.exit(result.status ?? 1);
  }
  stepLine(label, started);
}

const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Runs a long-lived child (the server, a benchmark, the test suite) and ends as it ends. A supervisor signals
 * this process, not its child: each stop signal is passed on, so the server stops cleanly and frees its port
 * and data folder, and the child's end becomes ours (its code, or 128 + the signal that killed it).
 */
function runUntilExit(cmd, args, filter = null) {
  const child = spawn(cmd, args, { cwd: root, stdio: filter ? ['inherit', 'pipe', 'pipe'] : 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  if (filter) {
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => filter(line, process.stdout));
    readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => filter(line, process.stderr));
  }
  child.on('error', (err) => {
    console.error(`Could not run ${cmd}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    const end = () => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
    if (!filter) return end();
    // Read the child's last lines first; but not forever: a grandchild (the embedded engine's process) may still
    // hold the pipes of a server that was killed.
    const drained = [child.stdout, child.stderr].map((stream) => new Promise((resolve) => (stream.readableEnded ? resolve() : stream.once('end', resolve))));
    Promise.race([Promise.all(drained), new Promise((resolve) => setTimeout(resolve, 1000))]).then(end);
  });
}

/** A folder inside the repository by its relative path (`.portico-data`), any other by its absolute one. */
function shortPath(folder) {
  const relative = path.relative(root, folder);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : folder;
}

/**
 * Quiet `npm start`: the server's JSON log lines become one line per start-up step (database, migrations, demo
 * seed); other info lines go to the log file only. Warnings and errors are shown as one readable line each, and
 * plain lines (the banner, a sign-up link printed for want of a mail server) as they come.
 */
function serverStepFilter() {
  let since = Date.now();
  const steps = {
    'database opened': (f) => (f.database === 'embedded' ? `Database opened (embedded, ${shortPath(f.dataDir)})` : 'Database opened (PostgreSQL at DATABASE_URL)'),
    'migrations applied': (f) => (f.applied ? `Migrations applied (${f.applied})` : 'Migrations: up to date'),
    'demo workspace': (f) => (f.created ? 'Demo workspace created' : 'Demo workspace ready'),
  };
  return (line, shown) => {
    fs.appendFileSync(LOG_FILE, `${line}\n`);
    let entry = null;
    try {
      entry = line.startsWith('{') ? JSON.parse(line) : null;
    } catch {
      entry = null;
    }
    if (!entry || typeof entry.message !== 'string') {
      shown.write(`${line}\n`);
      return;
    }
    if (entry.level === 'warn' || entry.level === 'error') {
      const { time: _time, level, message, ...fields } = entry;
      const detail = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
      shown.write(`  ${level === 'error' ? '✗' : '!'} ${message}${detail}\n`);
      return;
    }
    const step = steps[entry.message];
    if (!step) return;
    stepLine(step(entry), since);
    since = Date.now();
  };
}

function versionOf(cmd) {
  const result = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** The pnpm pinned in package.json: the one on PATH if it matches, else a private copy in .tools/. */
function pnpm() {
  if (versionOf('pnpm') === pinned) return 'pnpm';
  const local = path.join(toolsDir, 'node_modules', '.bin', 'pnpm');
  if (versionOf(local) !== pinned) {
    if (!out.quiet) console.log(`Installing pnpm ${pinned} into .tools/ …`);
    fs.mkdirSync(toolsDir, { recursive: true });
    run('npm', ['install', '--prefix', toolsDir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pinned}`], {}, `pnpm ${pinned} installed into .tools/`);
  }
  return local;
}

function prepare() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    console.error(`Portico needs Node.js 20 or newer; this is ${process.version}.`);
    process.exit(1);
  }
  const pm = pnpm();
  run(pm, ['install', '--frozen-lockfile', '--reporter=append-only'], { env: { ...process.env, CI: 'true' } }, 'Dependencies installed');
  run(pm, ['-r', 'run', 'build'], {}, 'Built shared, server and dashboard');
  return pm;
}

/** `npm start` is quiet unless asked: `npm start -- --verbose`, or PORTICO_VERBOSE=1. */
function startQuietly() {
  const verbose = process.argv.slice(3).includes('--verbose') || ['1', 'true'].includes(process.env.PORTICO_VERBOSE ?? '');
  if (verbose) return false;
  fs.mkdirSync(toolsDir, { recursive: true });
  fs.writeFileSync(LOG_FILE, `npm start, ${new Date().toISOString()}\n`);
  out.quiet = true;
  out.log = fs.openSync(LOG_FILE, 'a');
  process.stdout.write(`Starting Portico (full log: ${path.relative(process.cwd(), LOG_FILE) || LOG_FILE}; npm start -- --verbose shows it all)\n`);
  return true;
}

const command = process.argv[2];
if (command === 'start') {
  const quiet = startQuietly();
  // Test-only: the process tests drive this wrapper on an already built tree, without a minute of install and build.
  if (process.env.PORTICO_SKIP_BUILD !== '1') prepare();
  runUntilExit(process.execPath, [path.join(root, 'server', 'dist', 'main.js')], quiet ? serverStepFilter() : null);
} else if (command === 'test') {
  const pm = prepare();
  // The dashboard's screen tests (vitest, mocked GraphQL), then the server's suite (jest: GraphQL, HTTP, Chromium).
  run(pm, ['--filter', '@portico/client', 'run', 'test']);
  runUntilExit(pm, ['--filter', '@portico/server', 'run', 'test', ...process.argv.slice(3)]);
} else if (command === 'bench') {
  // `npm run bench:<name>` runs bench/<name>.js on the built server; DATABASE_URL is used when set.
  const name = process.argv[3];
  if (!name || !fs.existsSync(path.join(root, 'bench', `${name}.js`))) {
    console.error(`usage: node scripts/portico.js bench <name>, where bench/<name>.js exists`);
    process.exit(2);
  }
  prepare();
  runUntilExit(process.execPath, [path.join(root, 'bench', `${name}.js`), ...process.argv.slice(4)]);
} else if (command === 'build') {
  prepare();
} else {
  console.error('usage: node scripts/portico.js start|test|build|bench <name>');
  process.exit(2);
}
