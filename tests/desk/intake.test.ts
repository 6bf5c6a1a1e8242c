import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../utils/signature';
import { BatchResponse, ReportStatus } from '../../utils/schema/wire';
import { createChannel, revokeChannel } from '../../desk/store/channels';
import { exportReports } from '../../desk/store/export';
import { randomScreenshot, wireReport } from '../support/wire-reports';
import { ENGINES } from './support/engines';
import { startTestDesk, type TestDesk } from './support/desk';
import { startDesk, type RunningDesk } from '../../desk/server';
import type { DeskDb } from '../../desk/store/engine';

async function results(response: Response) {
  expect(response.status).toBe(200);
  return BatchResponse.parse(await response.json()).results ?? [];
}

async function exported(t: TestDesk) {
  const all = [];
  for await (const report of exportReports(t.db)) all.push(report);
  return all;
}

describe.each(ENGINES)('intake on %s', (engine) => {
  let t: TestDesk;
  beforeEach(async () => {
    t = await startTestDesk(engine);
  });
  afterEach(async () => {
    await t.stop();
  });

  it('accepts a batch with a receipt and a status token per report, and keeps one copy per id', async () => {
    const a = await wireReport({ screenshot: randomScreenshot(2_000), text: '明天全市停水三天' });
    const b = await wireReport();
    const first = await results(await t.post({ reports: [a, b] }));
    expect(first.map((r) => [r.id, r.status])).toEqual([
      [a.id, 'accepted'],
      [b.id, 'accepted'],
    ]);
    expect(first[0]?.receipt).toMatch(/^FL-\d{8}-[0-9A-F]{10}$/);
    expect(first[0]?.receipt).not.toBe(first[1]?.receipt);
    expect(first[0]?.statusToken).toMatch(/^fls_/);

    // A resend (its acknowledgement was lost): duplicate, the same receipt and token, no new row.
    const again = await results(await t.post({ reports: [a] }));
    expect(again).toEqual([{ ...first[0], status: 'duplicate' }]);
    expect(await t.count('reports')).toBe(2);
    expect(await t.count('report_revisions')).toBe(2);
  });

  it('refuses another body for a known (id, revision), takes revisions, and keeps a late older one', async () => {
    const v1 = await wireReport({ explanation: 'first' });
    const [accepted] = await results(await t.post({ reports: [v1] }));
    const conflict = await results(await t.post({ reports: [{ ...v1, explanation: 'changed' }] }));
    expect(conflict[0]).toMatchObject({ id: v1.id, status: 'rejected', reason: expect.stringContaining('different body') });

    const v3 = { ...v1, revision: 3, explanation: 'third' };
    const v2 = { ...v1, revision: 2, explanation: 'second' };
    expect(await results(await t.post({ reports: [v3] }))).toMatchObject([{ status: 'accepted', receipt: accepted?.receipt }]);
    expect(await results(await t.post({ reports: [v2] }))).toMatchObject([{ status: 'duplicate', receipt: accepted?.receipt }]);
    expect(await results(await t.post({ reports: [v3] }))).toMatchObject([{ status: 'duplicate' }]);

    const [report] = await exported(t);
    expect(report).toMatchObject({ id: v1.id, revision: 3, receipt: accepted?.receipt, state: 'new', report: { explanation: 'third' } });
    expect(await t.count('reports')).toBe(1);
    expect(await t.count('report_revisions')).toBe(3);
  });

  it('answers a report repeated inside one batch as a duplicate', async () => {
    const a = await wireReport();
    expect((await results(await t.post({ reports: [a, a] }))).map((r) => r.status)).toEqual(['accepted', 'duplicate']);
  });

  it('recomputes every evidence hash: a mismatch rejects that report, naming the artifact, and the rest is stored', async () => {
    const good = await wireReport({ screenshot: randomScreenshot(3_000) });
    const tampered = await wireReport({ screenshot: randomScreenshot(3_000), text: 'caption' });
    const artifacts = tampered.evidence?.artifacts ?? [];
    // One byte changed in the screenshot, hashes left as they were.
    const bytes = Buffer.from(artifacts[0]?.dataBase64 ?? '', 'base64');
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    const bad = { ...tampered, evidence: { ...tampered.evidence!, artifacts: [{ ...artifacts[0]!, dataBase64: bytes.toString('base64') }, artifacts[1]!] } };
    const badManifest = { ...(await wireReport({ text: 'x' })) };
    badManifest.evidence = { ...badManifest.evidence!, manifestSha256: '0'.repeat(64) };

    const answer = await results(await t.post({ reports: [good, bad, badManifest] }));
    expect(answer[0]).toMatchObject({ status: 'accepted' });
    expect(answer[1]).toMatchObject({ id: bad.id, status: 'rejected', reason: expect.stringContaining('viewport.png') });
    expect(answer[2]).toMatchObject({ id: badManifest.id, status: 'rejected', reason: expect.stringContaining('manifest') });
    expect(await t.count('reports')).toBe(1);
    const [stored] = await exported(t);
    expect(stored?.evidence).toEqual({
      verified: true,
      artifacts: [expect.objectContaining({ name: 'viewport.png', sha256: good.evidence?.artifacts[0]?.sha256, size: 3_000, verified: true })],
    });
    expect(JSON.stringify(stored?.report)).not.toContain('dataBase64');
  });

  it('stores an evidence blob once, however many reports carry it', async () => {
    const screenshot = randomScreenshot(4_000);
    const reports = await Promise.all([1, 2, 3].map(() => wireReport({ screenshot })));
    await results(await t.post({ reports: reports.slice(0, 2) }));
    await results(await t.post({ reports: reports.slice(2) }));
    expect(await t.count('report_artifacts')).toBe(3);
    expect(await t.count('evidence_blobs')).toBe(1);
  });

  it('rejects a schemaVersion it does not read, and an invalid report, without sinking the batch', async () => {
    const good = await wireReport();
    const future = { ...(await wireReport()), schemaVersion: 2 };
    const broken = { ...(await wireReport()), category: 'Not A Category!' };
    const answer = await results(await t.post({ reports: [future, good, broken] }));
    expect(answer[0]).toMatchObject({ id: future.id, status: 'rejected', reason: expect.stringContaining('schemaVersion 2 is not supported') });
    expect(answer[1]).toMatchObject({ id: good.id, status: 'accepted' });
    expect(answer[2]).toMatchObject({ id: broken.id, status: 'rejected', reason: expect.stringContaining('category') });
    expect(await t.count('reports')).toBe(1);
  });

  describe('bad requests store nothing and say why', () => {
    const cases: Array<[string, (t: TestDesk) => Promise<Response>, number, RegExp]> = [
      ['no token', async (t) => t.post({ reports: [await wireReport()] }, { Authorization: '' }), 401, /access token/],
      ['a wrong token', async (t) => t.post({ reports: [await wireReport()] }, { Authorization: 'Bearer flc_wrong' }), 401, /access token/],
      [
        'a wrong content type',
        async (t) => t.post(JSON.stringify({ reports: [await wireReport()] }), { 'Content-Type': 'text/plain' }),
        415,
        /application\/json/,
      ],
      ['malformed JSON', (t) => t.post('{"reports": [', {}), 400, /not valid JSON/],
      ['no reports array', (t) => t.post({ report: {} }), 400, /reports/],
      ['an empty batch', (t) => t.post({ reports: [] }), 400, /reports/],
      ['more than 500 reports', (t) => t.post({ reports: Array.from({ length: 501 }, () => ({})) }), 400, /500/],
    ];
    it.each(cases)('%s', async (_name, send, status, reason) => {
      const response = await send(t);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { reason: string }).reason).toMatch(reason);
      expect(await t.count('reports')).toBe(0);
    });

    it('a revoked channel', async () => {
      await revokeChannel(t.db, t.channel.id);
      const response = await t.post({ reports: [await wireReport()] });
      expect(response.status).toBe(401);
      expect(await t.count('reports')).toBe(0);
    });
  });

  it('answers CORS to extension origins only, preflight included', async () => {
    const preflight = await fetch(t.desk.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://abcdefghijklmnop', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Webhook-Signature');
    const fromPage = await fetch(t.desk.endpoint, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(fromPage.status).toBe(403);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
    const post = await t.post({ reports: [await wireReport()] }, { Origin: 'moz-extension://1234-5678' });
    expect(post.headers.get('access-control-allow-origin')).toBe('moz-extension://1234-5678');
    const pagePost = await t.post({ reports: [await wireReport()] }, { Origin: 'http://127.0.0.1:9999' });
    expect(pagePost.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a Host it does not serve (DNS rebinding)', async () => {
    const response = await fetch(t.desk.endpoint, { method: 'POST', headers: { Host: 'attacker.example' } }).catch(() => undefined);
    // fetch may not let a Host header through; a raw request does.
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(t.desk.port, '127.0.0.1', () => socket.end(`GET /healthz HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n`));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 421/);
    void response;
  });

  it('answers a malformed request line with 400 and keeps serving', async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(t.desk.port, '127.0.0.1', () => socket.write('BLAH\x00 / HTTP/1.1\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${t.desk.url}/healthz`)).status).toBe(200);
  });

  it('gives the reporter the state of their report, only with its status token', async () => {
    const report = await wireReport();
    const [result] = await results(await t.post({ reports: [report] }));
    const statusUrl = `${t.desk.endpoint}/${report.id}/status`;
    const answer = await fetch(statusUrl, { headers: { Authorization: `Bearer ${result?.statusToken}` } });
    expect(answer.status).toBe(200);
    expect(ReportStatus.parse(await answer.json())).toMatchObject({ id: report.id, state: 'new' });
    expect((await fetch(statusUrl, { headers: { Authorization: `Bearer ${t.channel.token}` } })).status).toBe(401);
    expect((await fetch(statusUrl)).status).toBe(401);
    const other = await wireReport();
    // A token is bound to its report: it opens no other.
    expect((await fetch(`${t.desk.endpoint}/${other.id}/status`, { headers: { Authorization: `Bearer ${result?.statusToken}` } })).status).toBe(401);
  });
});

describe.each(ENGINES)('limits and signatures on %s', (engine) => {
  it('answers 413 with a reason for a body over the limit', async () => {
    const t = await startTestDesk(engine, { maxBodyBytes: 10_000 });
    try {
      const response = await t.post({ reports: [await wireReport({ screenshot: randomScreenshot(20_000) })] });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { reason: string }).reason).toMatch(/larger than 10000 bytes/);
      expect(await t.count('reports')).toBe(0);
    } finally {
      await t.stop();
    }
  });

  it('answers a refused large upload with its 401 and reason, not a broken connection', async () => {
    const t = await startTestDesk(engine);
    try {
      const body = JSON.stringify({ reports: await Promise.all(Array.from({ length: 40 }, () => wireReport({ screenshot: randomScreenshot(100_000) }))) });
      expect(body.length).toBeGreaterThan(4_000_000);
      const response = await t.post(body, { Authorization: 'Bearer flc_wrong' });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { reason: string }).reason).toMatch(/access token/);
    } finally {
      await t.stop();
    }
  });

  it('answers 429 with Retry-After when more requests arrive than it handles at once', async () => {
    const t = await startTestDesk(engine, { maxInFlight: 1 });
    try {
      // The first request sends its headers and only half its body, holding its place.
      const body = JSON.stringify({ reports: [await wireReport()] });
      const socket = connect(t.desk.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.channel.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = await t.post({ reports: [await wireReport()] });
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('2');
      const answered = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString();
          if (text.includes('"results"')) resolve(text);
        });
      });
      socket.write(body.slice(20));
      expect(await answered).toMatch(/^HTTP\/1\.1 200/);
      socket.destroy();
      expect(await t.count('reports')).toBe(1);
    } finally {
      await t.stop();
    }
  });

  it('answers 429 when the bodies being handled would pass its memory budget, but never to a lone request', async () => {
    const t = await startTestDesk(engine, { maxInFlightBytes: 50_000 });
    try {
      const big = JSON.stringify({ reports: [await wireReport({ screenshot: randomScreenshot(60_000) })] });
      // Alone, a body over the budget is still taken.
      expect((await results(await t.post(big)))[0]?.status).toBe('accepted');
      // While a 40 KB body is being received, another 40 KB does not fit.
      const socket = connect(t.desk.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.channel.token}\r\nContent-Type: application/json\r\nContent-Length: 40000\r\n\r\n{"rep`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = await t.post(JSON.stringify({ reports: [await wireReport({ screenshot: randomScreenshot(25_000) })] }));
      expect(second.status).toBe(429);
      socket.destroy();
    } finally {
      await t.stop();
    }
  });

  it('verifies Standard Webhooks signatures when the channel signs', async () => {
    const t = await startTestDesk(engine, { signing: true });
    try {
      const secret = t.channel.signingSecret ?? '';
      expect(secret).toMatch(/^whsec_/);
      const body = JSON.stringify({ reports: [await wireReport()] });
      const now = Date.now() / 1000;
      const unsigned = await t.post(body);
      expect(unsigned.status).toBe(401);
      const wrong = await t.post(body, await signatureHeaders('whsec_' + Buffer.alloc(24, 7).toString('base64'), 'msg_1', now, body));
      expect(wrong.status).toBe(401);
      const stale = await t.post(body, await signatureHeaders(secret, 'msg_1', now - 600, body));
      expect(await stale.json()).toMatchObject({ reason: expect.stringMatching(/clock/), code: 'clock_skew' });
      expect(await t.count('reports')).toBe(0);
      const signed = await t.post(body, await signatureHeaders(secret, 'msg_1', now, body));
      expect((await results(signed))[0]?.status).toBe('accepted');
    } finally {
      await t.stop();
    }
  });

  it('refuses a replayed signed request inside the window, also after a restart, and takes a retry signed anew (issue 20, finding 7)', async () => {
    const t = await startTestDesk(engine, { signing: true });
    let restarted: { desk: RunningDesk; db: DeskDb } | undefined;
    try {
      const secret = t.channel.signingSecret ?? '';
      const body = JSON.stringify({ reports: [await wireReport()] });
      const now = Math.floor(Date.now() / 1000);
      const captured = await signatureHeaders(secret, 'msg_replayed', now, body);
      expect((await results(await t.post(body, captured)))[0]?.status).toBe('accepted');
      const replay = await t.post(body, captured);
      expect(replay.status).toBe(401);
      expect(await replay.json()).toMatchObject({ reason: expect.stringMatching(/replay/), code: 'replay' });

      // A new Desk process on the same database remembers it.
      await t.desk.close();
      const db = await t.database.open();
      restarted = { db, desk: await startDesk({ db, port: 0 }) };
      const post = (headers: Record<string, string>) =>
        fetch(restarted!.desk.endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${t.channel.token}`, ...headers },
          body,
        });
      expect((await post(captured)).status).toBe(401);
      // The extension's retry keeps the webhook-id and signs with a new timestamp: taken (a duplicate).
      const retry = await post(await signatureHeaders(secret, 'msg_replayed', now + 1, body));
      expect((await results(retry))[0]?.status).toBe('duplicate');
    } finally {
      await restarted?.desk.close();
      await restarted?.db.destroy();
      await t.stop().catch(() => undefined);
    }
  });

  it('records the channel each report came through', async () => {
    const t = await startTestDesk(engine);
    try {
      const second = await createChannel(t.db, { name: 'Volunteers' });
      await results(await t.post({ reports: [await wireReport()] }));
      await results(await t.post({ reports: [await wireReport()] }, { Authorization: `Bearer ${second.token}` }));
      const names = (await exported(t)).map((report) => report.channel.name).sort();
      expect(names).toEqual(['Test school', 'Volunteers']);
    } finally {
      await t.stop();
    }
  });
});
