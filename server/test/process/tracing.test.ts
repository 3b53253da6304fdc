import { execFileSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { TEST_SECRET_KEY, type TestApp } from '../helpers/app';
import { createDataSource } from '../../src/db/data-source';
import { onPostgres } from '../helpers/databases';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { buildSsoSetup, CALLBACK, postToAcs, startSignIn } from '../helpers/sso';
import { tracingEnabled } from '../../src/lib/tracing';

const DIST = path.resolve(__dirname, '../../dist');

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  service: string;
}

/** A local OTLP/HTTP collector: accepts what Portico's exporter posts to /v1/traces (JSON encoding) and keeps the spans. */
async function startCollector() {
  const spans: Span[] = [];
  const posts: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const payload = JSON.parse(body);
      for (const rs of payload.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue;
        for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, posts, close: () => new Promise((r) => server.close(r)) };
}

const attribute = (span: Span, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe('tracing switch', () => {
  it('is off unless an OTLP endpoint or a traces exporter is configured, and off when told none', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_SERVICE_NAME: 'portico' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingEnabled({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });

  it('does not load the SDK at all when off (start-up cost), and loads it when on', () => {
    const sdkLoaded = (env: Record<string, string>) => execFileSync(process.execPath, ['-e', `
      require(${JSON.stringify(path.join(DIST, 'lib/tracing-start.js'))});
      process.stdout.write(String(Object.keys(require.cache).some((f) => f.includes('@opentelemetry/sdk-node'))));
      process.exit(0);`], { env: { PATH: process.env.PATH ?? '', ...env } }).toString();
    expect(sdkLoaded({})).toBe('false');
    expect(sdkLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toBe('true');
  });
});

describe('OpenTelemetry traces of one SP-initiated sign-in, received by a local OTLP collector', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let portico: PorticoProcess;
  let db: DataSource;

  beforeAll(async () => {
    collector = await startCollector();
    portico = await startPorticoProcess({
      DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY, SAML_WORKERS: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'portico-under-test', OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    db = await createDataSource({ url: process.env.PORTICO_TEST_DATABASE_URL! }, onPostgres ? 2 : 1).initialize();
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
    await portico?.stop();
    await collector?.close();
  });

  it('links the ACS request, the SAML validation (in the worker thread too) and its SQL queries in one trace; GraphQL operations get spans', async () => {
    const setup = await buildSsoSetup({ url: portico.url, db } as TestApp);
    const started = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 't', clientId: setup.environment.clientId }));
    const acs = await postToAcs({ url: portico.url } as TestApp, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId }), started.relayState);
    expect(acs.status).toBe(302);

    const acsPath = `/sso/saml/acs/${setup.connection.id}`;
    const find = () => {
      const request = collector.spans.find((s) => s.kind === 2 && JSON.stringify(attribute(s, 'url.path') ?? attribute(s, 'http.target') ?? '').includes(acsPath));
      const trace = request ? collector.spans.filter((s) => s.traceId === request.traceId) : [];
      return { request, trace, worker: trace.find((s) => s.name === 'saml.validate.worker') };
    };
    for (let i = 0; i < 100 && !find().worker; i += 1) await new Promise((r) => setTimeout(r, 100));
    const { request, trace, worker } = find();

    expect(collector.posts[0]).toBe('POST /v1/traces application/json');
    expect(request).toBeDefined();
    expect(request!.service).toBe('portico-under-test');
    const validate = trace.find((s) => s.name === 'saml.validate');
    expect(validate?.parentSpanId).toBe(request!.spanId);
    // The worker thread's span: same trace, child of the main thread's validation span (context crossed the thread).
    expect(worker?.parentSpanId).toBe(validate!.spanId);
    // SQL: pg spans in the same trace, under the request.
    const queries = trace.filter((s) => attribute(s, 'db.system')?.stringValue === 'postgresql' || attribute(s, 'db.system.name')?.stringValue === 'postgresql');
    expect(queries.length).toBeGreaterThan(2);
    expect(queries.every((q) => trace.some((s) => s.spanId === q.parentSpanId))).toBe(true);
    expect(queries.some((q) => q.parentSpanId === request!.spanId)).toBe(true);

    // GraphQL: the setup's mutations each have an operation span.
    const graphql = collector.spans.filter((s) => attribute(s, 'graphql.operation.type'));
    expect(graphql.map((s) => attribute(s, 'graphql.operation.type')?.stringValue)).toContain('mutation');
    // Readiness probes are not traced.
    expect(collector.spans.filter((s) => JSON.stringify(s.attributes).includes('/health'))).toEqual([]);
  });
});
