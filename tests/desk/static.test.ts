import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../desk/http/static';
import { startTestDesk, type TestDesk } from './support/desk';

/** A raw GET (fetch normalises `..` out of paths, which is exactly what a traversal test must send). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, { method: 'GET', path }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the web interface is served at / (SQLite)', () => {
  let t: TestDesk;
  let uiDir: string;
  beforeAll(async () => {
    uiDir = mkdtempSync(join(tmpdir(), 'flagline-desk-ui-'));
    mkdirSync(join(uiDir, 'assets'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Desk</title><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(join(uiDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(uiDir, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(join(tmpdir(), 'flagline-secret.txt'), 'secret');
    t = await startTestDesk('sqlite', { uiDir });
  });
  afterAll(async () => {
    await t.stop();
    rmSync(uiDir, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'flagline-secret.txt'), { force: true });
  });

  it('answers index.html with a strict Content-Security-Policy and no caching', async () => {
    const response = await fetch(`${t.desk.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy');
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    for (const directive of ["default-src 'self'", "img-src 'self' blob: data:", "style-src 'self'", "script-src 'self'", "frame-ancestors 'none'"])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain('<title>Desk</title>');
  });

  it('answers the interface’s own routes with index.html', async () => {
    for (const path of ['/reports/0b0f6c1e-9a57-4d8a-9d7e-3f1f1f0c0a01', '/admin/users', '/setup']) {
      const response = await fetch(`${t.desk.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toContain('<title>Desk</title>');
    }
  });

  it('serves hashed assets with their type, cached for good', async () => {
    const script = await fetch(`${t.desk.url}/assets/index-abc123.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const style = await fetch(`${t.desk.url}/assets/index-abc123.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a missing file, an unknown API route, and a path outside the build', async () => {
    expect((await fetch(`${t.desk.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${t.desk.url}/api/no-such-route`)).status).toBe(404);
    expect((await fetch(`${t.desk.url}/v1/unknown`)).status).toBe(404);
    const traversal = await rawGet(t.desk.url, '/../flagline-secret.txt');
    expect(traversal.body).not.toContain('secret');
    const encoded = await rawGet(t.desk.url, '/%2e%2e/flagline-secret.txt');
    expect(encoded.body).not.toContain('secret');
  });

  it('does not answer other methods with the interface', async () => {
    const response = await fetch(`${t.desk.url}/reports/x`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<title>Desk</title>');
  });
});

describe('a Desk whose interface is not built', () => {
  it('says how to build it instead of failing silently', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'flagline-desk-ui-empty-'));
    const t = await startTestDesk('sqlite', { uiDir: emptyDir });
    try {
      const response = await fetch(`${t.desk.url}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build:desk-ui');
    } finally {
      await t.stop();
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
