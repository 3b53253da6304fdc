import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';

const CLIENT_INDEX = path.resolve(__dirname, '../../../client/dist/index.html');

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('Content-Security-Policy', () => {
  it.each(['/dashboard', '/dashboard/sign-in', '/dashboard/workspace/team', '/dashboard/theme.js', '/graphql?query=%7B__typename%7D'])('is strict on %s', async (url) => {
    const res = await fetch(`${app.url}${url}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    const directives = Object.fromEntries((res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'self'", 'script-src': "'self'", 'style-src': "'self'", 'object-src': "'none'", 'base-uri': "'none'", 'frame-ancestors': "'none'", 'form-action': "'self'",
    });
  });

  it('lets the dashboard run without inline scripts: every script of the built page is a file', () => {
    const html = fs.readFileSync(CLIENT_INDEX, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter(([, attributes, body]) => !/\bsrc=/.test(attributes!) || body!.trim() !== '').map(([tag]) => tag)).toEqual([]);
  });

  it('keeps the stricter policy of the SSO error page', async () => {
    const res = await fetch(`${app.url}/sso/authorize?client_id=client_unknown&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&response_type=code&connection=conn_x`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
  });
});
