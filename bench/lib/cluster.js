'use strict';
// `--replicas N`: N Portico processes on one database behind Debian's haproxy (round-robin per request), as
// the Scaling section of the README deploys them. One replica: the server alone, no proxy.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort, startServer } = require('./harness');

const HAPROXY = process.env.HAPROXY_PATH || '/usr/sbin/haproxy';

async function startHaproxy(port, backends) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-haproxy-'));
  const config = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(config, [
    'global', '  maxconn 4096',
    // Portico advertises `Keep-Alive: timeout=65`, which reaches the client: haproxy must keep an idle client
    // connection longer than that, or a client reusing it after a minute writes into a closed socket.
    'defaults', '  mode http', '  timeout connect 2s', '  timeout client 75s', '  timeout server 60s', '  option forwardfor',
    // A backend connection ends with its response: requests alternate, and none is sent on a socket being closed.
    '  option http-server-close',
    'frontend portico', `  bind 127.0.0.1:${port}`, '  default_backend replicas',
    'backend replicas', '  balance roundrobin', ...backends.map((url, i) => `  server r${i + 1} ${new URL(url).host}`), '',
  ].join('\n'));
  const child = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}`);
    try {
      await fetch(`${url}/health`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `replicas` servers with metrics on; `url` is where clients go (the proxy, or the one server). */
async function startCluster(database, replicas) {
  if (replicas <= 1) {
    const server = await startServer(database, { PORTICO_METRICS: 'true' });
    return { url: server.url, servers: [server], proxy: null, stop: () => server.stop() };
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const servers = [];
  for (let i = 0; i < replicas; i += 1) {
    servers.push(await startServer(database, { PUBLIC_URL: url, PORTICO_METRICS: 'true', PORTICO_INSTANCE_ID: `replica-${i + 1}`, TRUST_PROXY: 'loopback' }));
  }
  const proxy = await startHaproxy(port, servers.map((s) => s.url));
  return {
    url,
    servers,
    proxy,
    stop: async () => {
      await proxy.stop();
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

/** Every sample of every server's /metrics: [{ name, labels, value, server }]. */
async function scrape(servers) {
  const samples = [];
  for (const [index, server] of servers.entries()) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    for (const line of text.split('\n')) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) continue;
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      samples.push({ name: match[1], labels, value: Number(match[3]), server: index });
    }
  }
  return samples;
}

/** Sums a metric's samples whose labels include `labels`. */
function total(samples, name, labels = {}) {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

/** Sums a counter's samples whose labels include `labels`, from each server's own /metrics. */
async function scrapeTotal(servers, name, labels = {}) {
  return total(await scrape(servers), name, labels);
}

module.exports = { startCluster, scrape, scrapeTotal, total };
