import { hostname } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has working defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, publicUrl: 'http://localhost:8080', databaseUrl: undefined, trustProxy: false, seedDemo: true, sessionTtlDays: 14 });
    expect(config.dataDir).toBe(path.resolve('.portico-data'));
  });

  it.each([
    ['', false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ] as const)('reads TRUST_PROXY=%j as %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('does not seed a demo workspace on PostgreSQL unless asked, and trims a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', PORTICO_SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://sso.example.com/' }).publicUrl).toBe('https://sso.example.com');
  });

  it('names the variable when a number is malformed', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT must be a whole number, got "eighty"');
    expect(() => loadConfig({ SESSION_TTL_DAYS: '-1' })).toThrow(/SESSION_TTL_DAYS/);
  });

  it('reads the operations settings: metrics off by default, an instance ID only when asked, a bounded drain time', () => {
    expect(loadConfig({})).toMatchObject({ metricsEnabled: false, metricsToken: undefined, instanceId: undefined, drainSeconds: 0 });
    expect(loadConfig({ PORTICO_METRICS: 'true', PORTICO_METRICS_TOKEN: 'tok', PORTICO_INSTANCE_ID: 'eu-1', PORTICO_DRAIN_SECONDS: '10' }))
      .toMatchObject({ metricsEnabled: true, metricsToken: 'tok', instanceId: 'eu-1', drainSeconds: 10 });
    expect(loadConfig({ PORTICO_INSTANCE_ID: 'hostname' }).instanceId).toBe(hostname().slice(0, 64));
    expect(() => loadConfig({ PORTICO_INSTANCE_ID: 'eu 1\r\nSet-Cookie: x' })).toThrow(/PORTICO_INSTANCE_ID must be 1-64 letters/);
    expect(() => loadConfig({ PORTICO_DRAIN_SECONDS: '600' })).toThrow('PORTICO_DRAIN_SECONDS must be at most 60, got 600');
  });

  it('writes waiting sign-ins together, up to 32 a statement, on PostgreSQL only unless ACS_WRITE_BATCH says otherwise', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y' }).acsWriteBatch).toBe(32);
    expect(loadConfig({}).acsWriteBatch).toBe(1);
    expect(loadConfig({ ACS_WRITE_BATCH: '8' }).acsWriteBatch).toBe(8);
    expect(() => loadConfig({ ACS_WRITE_BATCH: '33' })).toThrow('ACS_WRITE_BATCH must be at most 32, got 33');
  });

  it('runs SAML validation threads at nice 10 unless SAML_WORKER_NICE says otherwise (0 to 19)', () => {
    expect(loadConfig({}).samlWorkerNice).toBe(10);
    expect(loadConfig({ SAML_WORKER_NICE: '0' }).samlWorkerNice).toBe(0);
    expect(() => loadConfig({ SAML_WORKER_NICE: '20' })).toThrow('SAML_WORKER_NICE must be at most 19, got 20');
    expect(() => loadConfig({ SAML_WORKER_NICE: '-5' })).toThrow('SAML_WORKER_NICE must be a whole number, got "-5"');
  });
});

describe('PORTICO_TEST_OAUTH_PROVIDER_URLS (tests only)', () => {
  it('points providers at local stand-ins outside production', () => {
    expect(loadConfig({ PORTICO_TEST_OAUTH_PROVIDER_URLS: 'GoogleOAuth=http://127.0.0.1:4810/, GitHubOAuth=http://127.0.0.1:4811' }).oauthProviderUrls).toEqual({ GoogleOAuth: 'http://127.0.0.1:4810', GitHubOAuth: 'http://127.0.0.1:4811' });
    expect(loadConfig({}).oauthProviderUrls).toEqual({});
  });

  it('is refused at startup when NODE_ENV=production, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PORTICO_TEST_OAUTH_PROVIDER_URLS: 'GoogleOAuth=http://127.0.0.1:4810' })).toThrow(/PORTICO_TEST_OAUTH_PROVIDER_URLS is for tests only and is refused when NODE_ENV=production/);
  });

  it('names an unknown provider or a missing URL', () => {
    expect(() => loadConfig({ PORTICO_TEST_OAUTH_PROVIDER_URLS: 'Facebook=http://x' })).toThrow(/"Facebook" is not one of GoogleOAuth/);
    expect(() => loadConfig({ PORTICO_TEST_OAUTH_PROVIDER_URLS: 'GoogleOAuth=' })).toThrow(/GoogleOAuth needs an http\(s\) URL/);
  });
});
