'use strict';
// A closed-loop HTTP/1.1 storm of pre-built POSTs: each keep-alive connection sends the next request as soon as the
// previous response is complete, for a fixed time. The requests are whole byte buffers made before the storm, so the
// load generator, which shares the cores with Portico, spends almost nothing per request: autocannon rebuilt each
// 13 KB request from strings and parsed every response in JavaScript, 0.68 ms of CPU per sign-in that Portico then
// did not get (12% of a 2-core machine), while the bare node-saml baseline runs alone.
const net = require('node:net');

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');
const TIMEOUT_MS = 10_000;

/** `POST path` with `body` (and any other `headers`) as one buffer, for a keep-alive connection. */
function postRequest(url, contentType, body, headers = {}) {
  const { host, pathname, search } = new URL(url);
  const bytes = Buffer.from(body);
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  const head = `POST ${pathname}${search} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\n${extra}Connection: keep-alive\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

/** Where the response at the start of `buf` ends (its length), or -1 while it is incomplete. */
function responseLength(buf) {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return -1;
  const head = buf.toString('latin1', 0, headerEnd);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) {
    const total = headerEnd + 4 + Number(length[1]);
    return buf.length >= total ? total : -1;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const end = buf.indexOf(CHUNKED_END, headerEnd);
    return end < 0 ? -1 : end + CHUNKED_END.length;
  }
  return headerEnd + 4; // no body (a 204 or 304)
}

/**
 * Runs `connections` connections for `seconds`, each taking the next request from `next()` (null: stop sending).
 * Like autocannon, what is in flight when the time is up is dropped (the server still finishes it).
 * Answers the responses counted by status class, socket errors, timeouts and each latency in ms.
 */
function runStorm({ url, connections, seconds, next }) {
  const { hostname, port } = new URL(url);
  const latencies = [];
  const statuses = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  let errors = 0;
  let timeouts = 0;
  let stopped = false;
  const sockets = new Set();

  const connect = () => {
    if (stopped) return;
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
    sockets.add(socket);
    let pending = Buffer.alloc(0);
    let sentAt = 0n;
    let timer = null;
    const send = () => {
      const request = stopped ? null : next();
      if (!request) return;
      sentAt = process.hrtime.bigint();
      timer = setTimeout(() => {
        timeouts += 1;
        socket.destroy();
      }, TIMEOUT_MS);
      socket.write(request);
    };
    socket.on('connect', send);
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const length = responseLength(pending);
      if (length < 0) return;
      clearTimeout(timer);
      latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
      const status = pending.toString('latin1', 9, 12);
      statuses[`${status[0]}xx`] = (statuses[`${status[0]}xx`] ?? 0) + 1;
      pending = pending.subarray(length);
      send();
    });
    socket.on('error', () => {
      errors += 1;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      sockets.delete(socket);
      connect(); // a connection lost mid-storm is replaced (a no-op once stopped)
    });
  };

  for (let i = 0; i < connections; i += 1) connect();
  return new Promise((resolve) => {
    setTimeout(() => {
      stopped = true;
      for (const socket of sockets) socket.destroy();
      resolve({ total: latencies.length, statuses, errors, timeouts, latencies });
    }, seconds * 1000);
  });
}

module.exports = { postRequest, responseLength, runStorm };
