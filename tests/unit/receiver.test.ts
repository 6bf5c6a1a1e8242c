import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { buildReport } from '@/utils/reports';
import type { Report } from '@/utils/schema/report';
import { BatchResponse } from '@/utils/schema/wire';
import { canonicalJson, startReceiver, type Receiver } from '../support/receiver';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

let counter = 0;
function report(overrides: Partial<Report> = {}): Report {
  const id = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
  return {
    ...buildReport(
      { tabId: 1, category: 'cyberviolence', explanation: '侮辱', goodFaith: true },
      { url: 'https://x.example/', title: '<b>t</b>' },
      {
        clock: () => Date.UTC(2026, 0, 1),
        newId: () => id,
        categories: BUILT_IN_CATEGORIES,
        client: { version: '0', locale: 'zh-CN' },
      },
    ),
    ...overrides,
  };
}

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(receiver!.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { response, body: response.headers.get('content-type')?.includes('json') ? await response.json() : undefined };
}

describe('reference receiver', () => {
  it('refuses to listen beyond loopback', async () => {
    await expect(startReceiver({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('accepts a batch, answers per report with a receipt, and keeps one copy per id', async () => {
    receiver = await startReceiver();
    const a = report();
    const b = report();
    const first = await post({ reports: [a, b] });
    expect(first.response.status).toBe(200);
    const results = BatchResponse.parse(first.body).results!;
    expect(results.map((r) => [r.id, r.status])).toEqual([
      [a.id, 'accepted'],
      [b.id, 'accepted'],
    ]);
    expect(results[0]?.receipt).toMatch(/^FL-\d{8}-[0-9A-F]{8}$/);

    const again = await post({ reports: [a] });
    expect(BatchResponse.parse(again.body).results).toEqual([{ id: a.id, status: 'duplicate', receipt: results[0]?.receipt, receivedAt: expect.any(String) }]);
    expect(receiver.reports()).toHaveLength(2);
  });

  it('treats key order as the same body, but refuses the same id with another body and counts it', async () => {
    receiver = await startReceiver();
    const a = report();
    await post({ reports: [a] });
    const reordered = JSON.parse(canonicalJson(a));
    expect(BatchResponse.parse((await post({ reports: [reordered] })).body).results?.[0]?.status).toBe('duplicate');
    const changed = await post({ reports: [{ ...a, explanation: 'edited' }] });
    expect(BatchResponse.parse(changed.body).results?.[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/different body/) });
    expect(receiver.conflicts()).toBe(1);
    expect(receiver.reports()[0]?.report.explanation).toBe('侮辱');
  });

  it('rejects an invalid report without sinking the rest of the batch', async () => {
    receiver = await startReceiver();
    const good = report();
    const bad = { ...report(), category: 'NOT VALID' };
    const results = BatchResponse.parse((await post({ reports: [bad, good] })).body).results!;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'accepted']);
    expect(results[0]?.reason).toMatch(/category/);
  });

  it('answers malformed requests with clear 4xx errors', async () => {
    receiver = await startReceiver();
    expect((await post('{not json')).response.status).toBe(400);
    expect((await post({ reports: [] })).response.status).toBe(400);
    expect((await post({ reports: [report()] }, { 'Content-Type': 'text/plain' })).response.status).toBe(415);
  });

  it('requires the configured token', async () => {
    receiver = await startReceiver({ token: 'school-token' });
    expect((await post({ reports: [report()] })).response.status).toBe(401);
    expect((await post({ reports: [report()] }, { Authorization: 'Bearer wrong' })).response.status).toBe(401);
    expect((await post({ reports: [report()] }, { Authorization: 'Bearer school-token' })).response.status).toBe(200);
  });

  it('answers CORS preflights for extension origins only', async () => {
    receiver = await startReceiver();
    const preflight = (origin: string) =>
      fetch(receiver!.endpoint, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' },
      });
    const ok = await preflight('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('persists reports to its data file and loads them on restart', async () => {
    const dataFile = join(await mkdtemp(join(tmpdir(), 'flagline-receiver-')), 'reports.json');
    receiver = await startReceiver({ dataFile });
    const a = report();
    await post({ reports: [a] });
    await receiver.close();
    expect(JSON.parse(await readFile(dataFile, 'utf8')).reports[0].id).toBe(a.id);
    receiver = await startReceiver({ dataFile });
    expect(BatchResponse.parse((await post({ reports: [a] })).body).results?.[0]?.status).toBe('duplicate');
  });

  it('lets nobody read what it received over HTTP (no listing, no page)', async () => {
    receiver = await startReceiver({ token: 't' });
    expect((await fetch(receiver.endpoint)).status).toBe(405);
    expect((await fetch(`${receiver.url}/`)).status).toBe(404);
  });

  it('waitForReport resolves for reports that arrive later', async () => {
    receiver = await startReceiver();
    const a = report();
    const waiting = receiver.waitForReport((r) => r.id === a.id, 5000);
    await post({ reports: [a] });
    expect((await waiting).report.id).toBe(a.id);
  });
});
