import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { batchBody, flushOutbox } from '@/utils/outbox';
import { buildReport, saveNewReport } from '@/utils/reports';
import type { Report } from '@/utils/schema/report';
import { BatchResponse } from '@/utils/schema/wire';
import { signatureHeaders } from '@/utils/signature';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { seededRandom, startReceiver, type Receiver } from '../support/receiver';
import { protocolSchemaFiles } from '../../scripts/protocol/schemas';
import { freshDb, testClock } from './helpers';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

let counter = 0;
function report(overrides: Partial<Report> = {}): Report {
  const id = `00000000-0000-4000-9000-${String(++counter).padStart(12, '0')}`;
  return {
    ...buildReport(
      { tabId: 1, category: 'rumor', subReason: undefined, explanation: '谣言', goodFaith: true },
      { url: 'https://x.example/', title: 't' },
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

const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(receiver!.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN, ...headers }, body });
  return { response, json: response.headers.get('content-type')?.includes('json') ? ((await response.json()) as Record<string, unknown>) : undefined };
}

describe('receiver: revisions', () => {
  it('accepts revision N+1 of an id as new, answers duplicate for a resent revision, refuses another body for the same revision', async () => {
    receiver = await startReceiver();
    const first = report();
    await post(JSON.stringify({ reports: [first] }));
    const second = { ...first, revision: 2, explanation: 'edited' };
    const accepted = BatchResponse.parse((await post(JSON.stringify({ reports: [second] }))).json).results?.[0];
    expect(accepted).toMatchObject({ status: 'accepted' });
    expect(receiver.reports()).toHaveLength(1);
    expect(receiver.reports()[0]).toMatchObject({ revision: 2, report: { explanation: 'edited' } });
    expect(BatchResponse.parse((await post(JSON.stringify({ reports: [second] }))).json).results?.[0]?.status).toBe('duplicate');
    expect(BatchResponse.parse((await post(JSON.stringify({ reports: [first] }))).json).results?.[0]?.status).toBe('duplicate');
    const conflicting = BatchResponse.parse((await post(JSON.stringify({ reports: [{ ...second, explanation: 'other' }] }))).json).results?.[0];
    expect(conflicting).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/revision 2 .*different body/) });
    expect(receiver.conflicts()).toBe(1);
  });
});

describe('receiver: signatures', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('accepts a correctly signed request and refuses missing, wrong or stale signatures with 401', async () => {
    receiver = await startReceiver({ signingSecret: secret });
    const body = batchBody([JSON.stringify(report())]);
    const now = Date.now() / 1000;
    expect((await post(body)).response.status).toBe(401);
    expect((await post(body, await signatureHeaders('whsec_YW5vdGhlci1zZWNyZXQta2V5LTE2Kw==', 'msg_1', now, body))).response.status).toBe(401);
    const stale = await post(body, await signatureHeaders(secret, 'msg_1', now - 3600, body));
    expect(stale.response.status).toBe(401);
    expect(stale.json).toMatchObject({ error: expect.stringMatching(/timestamp/) });
    const tampered = await signatureHeaders(secret, 'msg_1', now, body);
    expect((await post(body.replace('谣言', '改过'), tampered)).response.status).toBe(401);
    expect(receiver.reports()).toHaveLength(0);
    const good = await post(body, await signatureHeaders(secret, 'msg_1', now, body));
    expect(good.response.status).toBe(200);
    expect(receiver.reports()).toHaveLength(1);
  });

  it('accepts what the outbox sends with the same secret, end to end over real fetch', async () => {
    receiver = await startReceiver({ signingSecret: secret, token: 'tok' });
    const db = freshDb();
    const clock = testClock(Date.now());
    await saveNewReport(db, report(), clock);
    const summary = await flushOutbox({
      db,
      fetch,
      clock,
      random: Math.random,
      workerId: 'w',
      getSettings: async () => ({ ...DEFAULT_SETTINGS, endpointUrl: receiver!.endpoint, accessToken: 'tok', signingSecret: secret }),
    });
    expect(summary.sent).toBe(1);
  });
});

describe('receiver: fault mode', () => {
  it('repeats the same faults for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const draws = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(draws);
    expect(seededRandom(43)()).not.toBe(draws[0]);
  });

  it('answers 5xx, resets connections and throttles with Retry-After, and the outbox still delivers each id exactly once', async () => {
    receiver = await startReceiver({ faults: { seed: 7, error5xxRate: 0.25, resetRate: 0.25, throttleRate: 0.2, retryAfterSeconds: 1 } });
    const db = freshDb();
    const clock = testClock(Date.now());
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = report();
      ids.push(r.id);
      await saveNewReport(db, r, clock);
    }
    const deps = {
      db,
      fetch,
      clock,
      random: Math.random,
      workerId: 'w',
      getSettings: async () => ({ ...DEFAULT_SETTINGS, endpointUrl: receiver!.endpoint, batchSize: 4 }),
    };
    for (let round = 0; round < 60 && (await db.reports.where('status').notEqual('sent').count()) > 0; round++) {
      await flushOutbox(deps);
      clock.advance(2 * 60 * 60_000);
    }
    expect(await db.reports.where('status').equals('sent').count()).toBe(30);
    expect(
      receiver
        .reports()
        .map((r) => r.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(receiver.conflicts()).toBe(0);
    expect(receiver.faultCounts.error5xx).toBeGreaterThan(0);
    expect(receiver.faultCounts.reset).toBeGreaterThan(0);
    expect(receiver.faultCounts.throttle).toBeGreaterThan(0);
    const throttled = (await db.reports.toArray()).flatMap((r) => r.ledger ?? []).filter((line) => line.httpStatus === 429);
    expect(throttled.length).toBeGreaterThan(0);
  }, 30_000);

  it('answers 429 with the configured Retry-After, 410 when gone, and no CORS headers in no-CORS mode', async () => {
    receiver = await startReceiver({ faults: { throttleRate: 1, retryAfterSeconds: 9 } });
    const throttled = await post(batchBody([JSON.stringify(report())]));
    expect(throttled.response.status).toBe(429);
    expect(throttled.response.headers.get('retry-after')).toBe('9');
    receiver.faults.throttleRate = 0;
    receiver.faults.gone = true;
    expect((await post(batchBody([JSON.stringify(report())]))).response.status).toBe(410);
    receiver.faults.gone = false;
    expect((await post(batchBody([JSON.stringify(report())]))).response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    receiver.faults.noCors = true;
    expect((await post(batchBody([JSON.stringify(report())]))).response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(receiver.endpoint, { method: 'OPTIONS', headers: { Origin: ORIGIN } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('holds slow answers for delayMs', async () => {
    receiver = await startReceiver({ faults: { delayMs: 150 } });
    const start = Date.now();
    await post(batchBody([JSON.stringify(report())]));
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });
});

describe('protocol JSON Schema', () => {
  it('the shipped schema files are exactly what the zod schemas generate (run npm run protocol:schema)', async () => {
    for (const [name, content] of Object.entries(protocolSchemaFiles())) {
      expect(await readFile(`public/protocol/${name}`, 'utf8'), name).toBe(content);
    }
  });

  it('validates a real batch as the outbox sends it, and refuses a broken one', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile('public/protocol/report-batch.schema.json', 'utf8')));
    const body = batchBody([JSON.stringify(report()), JSON.stringify({ ...report(), revision: 2 })]);
    expect(validate(JSON.parse(body)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ reports: [] })).toBe(false);
    // Versioning: receivers accept optional fields added later within version 1.
    expect(validate({ reports: [{ ...report(), addedLater: { x: 1 } }] })).toBe(true);
    expect(validate({ reports: [{ ...report(), schemaVersion: 2 }] })).toBe(false);
    expect(validate({ reports: [{ ...report(), category: 'Not Valid' }] })).toBe(false);
    const response = ajv.compile(JSON.parse(await readFile('public/protocol/batch-response.schema.json', 'utf8')));
    expect(response({ results: [{ id: report().id, status: 'duplicate', receipt: 'FL-1' }] })).toBe(true);
    expect(response({ results: [{ id: report().id, status: 'maybe' }] })).toBe(false);
  });
});
