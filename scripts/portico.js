#!/usr/bin/env node
// The README's commands on a fresh clone with only Node and npm: `npm start` and `npm test`.
// Each makes sure the pinned pnpm is present, installs with the frozen lockfile, builds, then runs.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pinned = require(path.join(root, 'package.json')).packageManager.split('@')[1];
const toolsDir = path.join(root, '.tools');

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Runs a long-lived child (the server, a benchmark, the test suite) and ends as it ends. A supervisor signals
 * this process, not its child: each stop signal is passed on, so the server stops cleanly and frees its port
 * and data folder, and the child's end becomes ours (its code, or 128 + the signal that killed it).
 */
function runUntilExit(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.on('error', (err) => {
    console.error(`Could not run ${cmd}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
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
    console.log(`Installing pnpm ${pinned} into .tools/ …`);
    fs.mkdirSync(toolsDir, { recursive: true });
    run('npm', ['install', '--prefix', toolsDir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pinned}`]);
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
  run(pm, ['install', '--frozen-lockfile', '--reporter=append-only'], { env: { ...process.env, CI: 'true' } });
  run(pm, ['-r', 'run', 'build']);
  return pm;
}

const command = process.argv[2];
if (command === 'start') {
  // Test-only: the process tests drive this wrapper on an already built tree, without a minute of install and build.
  if (process.env.PORTICO_SKIP_BUILD !== '1') prepare();
  runUntilExit(process.execPath, [path.join(root, 'server', 'dist', 'main.js')]);
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
