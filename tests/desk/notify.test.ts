import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchResponse } from '../../utils/schema/wire';
import { createChannel } from '../../desk/store/channels';
import { NotifierRateLimiter } from '../../desk/notify/rate-limit';
import { DIGEST_SETTLE_MS, startNotifications } from '../../desk/notify/scheduler';
import { createNotifier, deleteNotifier, listNotifiers, NotifierInputError, sendTestNotification } from '../../desk/notify/store';
import { run, UsageError } from '../../desk/cli/main';
import { randomScreenshot, wireReport } from '../support/wire-reports';
import { freePort } from '../../scripts/free-port';
import { serveDesk, type DeskProcess } from './support/child';
import { ENGINES, freshDatabase } from './support/engines';
import { startTestDesk, type TestDesk } from './support/desk';
import { ROBOT_TOKEN, startFakeRobot, type FakeRobot } from './support/robots';

const SECRET = 'SECb9c1f0a4e2d84c1b9f0e3a7d6c5b4a39281706f5e4d3c2b1a0';

/** A clock the test moves; starts at the real time, as the robots check timestamps against it. */
function clock() {
  let at = Date.now();
  return { now: () => new Date(at), ms: () => at, advance: (ms: number) => (at += ms) };
}

describe.each(ENGINES)('notifications on %s', (engine) => {
  let t: TestDesk;
  let robots: FakeRobot[];
  let limiter: NotifierRateLimiter;
  const robot = async (...args: Parameters<typeof startFakeRobot>) => {
    const started = await startFakeRobot(...args);
    robots.push(started);
    return started;
  };

  beforeEach(async () => {
    t = await startTestDesk(engine);
    robots = [];
    limiter = new NotifierRateLimiter();
  });
  afterEach(async () => {
    await Promise.all(robots.map((r) => r.close()));
    await t.stop();
  });

  async function post(reports: Awaited<ReturnType<typeof wireReport>>[], token = t.channel.token) {
    const response = await fetch(t.desk.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ reports }),
    });
    return BatchResponse.parse(await response.json()).results ?? [];
  }

  it.each([
    ['dingtalk', SECRET],
    ['feishu', 'feishu-signing-secret-7f3a'],
    ['wecom', undefined],
  ] as const)('sends a test message to %s, signed as the platform checks it, and lists the URL masked', async (kind, secret) => {
    const fake = await robot(kind, secret ? { secret } : {});
    const created = await createNotifier(t.db, { kind, name: 'Safeguarding team', webhookUrl: fake.webhookUrl, ...(secret ? { secret } : {}) });
    const sent = await sendTestNotification(t.db, created.id, fetch, { limiter });
    expect(sent?.outcome).toEqual({ ok: true });
    expect(fake.refused).toEqual([]);
    expect(fake.accepted).toHaveLength(1);
    expect(fake.texts()[0]).toContain('Safeguarding team');

    const [listed] = await listNotifiers(t.db);
    expect(listed).toMatchObject({ id: created.id, kind, hasSecret: Boolean(secret), lastError: null });
    expect(listed?.lastSentAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(ROBOT_TOKEN);
    expect(listed?.webhookUrl).toContain(`***${ROBOT_TOKEN.slice(-4)}`);
  });

  it.each([
    ['dingtalk', '310000'],
    ['feishu', '19021'],
  ] as const)('records the error when %s refuses a wrong signature', async (kind, code) => {
    const fake = await robot(kind, { secret: 'the-right-secret' });
    const created = await createNotifier(t.db, { kind, name: 'Team', webhookUrl: fake.webhookUrl, secret: 'a-wrong-secret' });
    const sent = await sendTestNotification(t.db, created.id, fetch, { limiter });
    expect(sent?.outcome).toMatchObject({ ok: false, rateLimited: false });
    expect(fake.accepted).toEqual([]);
    expect(sent?.notifier.lastError).toContain(code);
    expect(sent?.notifier.lastSentAt).toBeNull();
    expect(sent?.notifier.lastError).not.toContain(ROBOT_TOKEN);
  });

  it('refuses plain http beyond loopback, a malformed URL, and a secret for WeCom', async () => {
    await expect(createNotifier(t.db, { kind: 'dingtalk', name: 'x', webhookUrl: 'http://oapi.dingtalk.com/robot/send?access_token=abc' })).rejects.toThrow(
      NotifierInputError,
    );
    await expect(createNotifier(t.db, { kind: 'dingtalk', name: 'x', webhookUrl: 'not a url' })).rejects.toThrow(NotifierInputError);
    await expect(
      createNotifier(t.db, { kind: 'wecom', name: 'x', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: 's' }),
    ).rejects.toThrow(NotifierInputError);
    const https = await createNotifier(t.db, { kind: 'feishu', name: 'Lark', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef' });
    expect(https.webhookUrl).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/***cdef');
    expect(await deleteNotifier(t.db, https.id)).toBe(true);
    expect(await deleteNotifier(t.db, https.id)).toBe(false);
    expect(await listNotifiers(t.db)).toEqual([]);
  });

  it('digests new reports by category and channel with receipts and a queue link, never their content', async () => {
    const fake = await robot('dingtalk', { secret: SECRET });
    const wecomFake = await robot('wecom');
    const feishuFake = await robot('feishu');
    await createNotifier(t.db, { kind: 'dingtalk', name: 'DingTalk group', webhookUrl: fake.webhookUrl, secret: SECRET });
    await createNotifier(t.db, { kind: 'wecom', name: 'WeCom group', webhookUrl: wecomFake.webhookUrl });
    await createNotifier(t.db, { kind: 'feishu', name: 'Feishu group', webhookUrl: feishuFake.webhookUrl });
    const second = await createChannel(t.db, { name: 'Second school' });

    const screenshot = randomScreenshot(2_000);
    const secrets = {
      url: 'https://weibo.example/post/very-secret-path',
      text: '明天全市停水三天请转发',
      explanation: 'The reporter explains everything here',
    };
    const withReporter = {
      ...(await wireReport({ url: secrets.url, text: secrets.text, screenshot, explanation: secrets.explanation })),
      reporter: { name: '张小明', contact: 'xiaoming@example.com' },
    };
    const results = [
      ...(await post([withReporter, await wireReport({ url: secrets.url })])),
      ...(await post([await wireReport({ category: 'cyberviolence', url: secrets.url })], second.token)),
    ];
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);

    // Reports are digested once they are past the settle time (DIGEST_SETTLE_MS).
    const later = () => new Date(Date.now() + DIGEST_SETTLE_MS + 1_000);
    const notifications = startNotifications({
      db: t.db,
      fetchFn: fetch,
      now: later,
      publicUrl: 'https://desk.school.example/',
      limiter,
      intervalMs: 3_600_000,
    });
    try {
      const run1 = await notifications.runOnce();
      expect(Object.values(run1.sent)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    } finally {
      notifications.stop();
    }
    for (const group of [fake, wecomFake, feishuFake]) {
      expect(group.accepted).toHaveLength(1);
      const text = group.texts().join('\n');
      expect(text).toContain('3 份新举报 · 3 new reports');
      expect(text).toMatch(/谣言 · Rumor: 2/);
      expect(text).toMatch(/网络暴力 · Cyberviolence: 1/);
      expect(text).toMatch(/Test school: 2/);
      expect(text).toMatch(/Second school: 1/);
      for (const result of results) expect(text).toContain(result.receipt);
      expect(text).toContain('https://desk.school.example/');
      // Nothing of what was reported: no reported URL, title, captured text, explanation, reporter or evidence.
      for (const leak of [
        secrets.url,
        'weibo.example',
        '停水',
        secrets.text,
        secrets.explanation,
        '张小明',
        'xiaoming',
        Buffer.from(screenshot).toString('base64').slice(0, 16),
      ]) {
        expect(text).not.toContain(leak);
      }
    }
  });

  it("keeps a digest of many long-named channels within WeCom's 4096 bytes", async () => {
    const fake = await robot('wecom');
    await createNotifier(t.db, { kind: 'wecom', name: 'Group', webhookUrl: fake.webhookUrl });
    for (let i = 0; i < 15; i++) {
      const channel = await createChannel(t.db, { name: `${String(i).padStart(2, '0')}${'第一实验小学五年级二班家长委员会'.repeat(12)}` });
      await post([await wireReport(), await wireReport({ category: 'cyberviolence' })], channel.token);
    }
    const notifications = startNotifications({
      db: t.db,
      fetchFn: fetch,
      now: () => new Date(Date.now() + DIGEST_SETTLE_MS + 1_000),
      limiter,
      intervalMs: 3_600_000,
    });
    try {
      expect(Object.values((await notifications.runOnce()).sent)).toEqual([{ ok: true }]);
    } finally {
      notifications.stop();
    }
    expect(fake.refused).toEqual([]);
    const text = fake.texts()[0] ?? '';
    expect(text).toContain('30 份新举报 · 30 new reports');
    expect(text).toContain('其他 · Others: 8');
    expect(text).toContain('(另有 10 份 · 10 more)');
  });

  it('sends nothing when no report is new, waits for a report to settle, and tells each report once', async () => {
    const time = clock();
    const fake = await robot('wecom');
    const created = await createNotifier(t.db, { kind: 'wecom', name: 'Group', webhookUrl: fake.webhookUrl });
    const notifications = startNotifications({ db: t.db, fetchFn: fetch, now: time.now, limiter, intervalMs: 3_600_000 });
    try {
      expect(await notifications.runOnce()).toEqual({ sent: {} });
      expect(fake.accepted).toEqual([]);

      await post([await wireReport()]);
      // Just received: a report stamped a moment earlier may still be committing, so wait.
      expect(await notifications.runOnce()).toEqual({ sent: {} });
      time.advance(DIGEST_SETTLE_MS + 1_000);
      expect((await notifications.runOnce()).sent).toEqual({ [created.id]: { ok: true } });
      expect(await notifications.runOnce()).toEqual({ sent: {} });
      expect(fake.accepted).toHaveLength(1);

      await post([await wireReport({ category: 'minors' })]);
      time.advance(DIGEST_SETTLE_MS + 1_000);
      await notifications.runOnce();
      expect(fake.accepted).toHaveLength(2);
      expect(fake.texts()[1]).toContain('1 份新举报 · 1 new report');
      expect(fake.texts()[1]).toContain('危害未成年人 · Harmful to minors: 1');
      expect(fake.texts()[1]).not.toContain('Rumor');
      // No public URL configured: no link.
      expect(fake.texts()[1]).not.toContain('http');
    } finally {
      notifications.stop();
    }
  });

  it('records a "too fast" answer, waits out the penalty, then digests the missed reports with the new ones', async () => {
    const time = clock();
    const fake = await robot('dingtalk', { secret: SECRET, now: time.ms });
    const created = await createNotifier(t.db, { kind: 'dingtalk', name: 'Group', webhookUrl: fake.webhookUrl, secret: SECRET });
    const notifications = startNotifications({ db: t.db, fetchFn: fetch, now: time.now, limiter, intervalMs: 3_600_000 });
    try {
      await post([await wireReport()]);
      time.advance(DIGEST_SETTLE_MS + 1_000);
      fake.tooFastNext = 1;
      const first = await notifications.runOnce();
      expect(first.sent[created.id]).toMatchObject({ ok: false, rateLimited: true });
      expect(fake.refused).toEqual([{ code: 130101, msg: expect.stringContaining('too fast') }]);
      let [listed] = await listNotifiers(t.db);
      expect(listed?.lastError).toContain('130101');
      expect(listed?.lastSentAt).toBeNull();

      // DingTalk throttles a robot for 10 minutes after 130101: the Desk does not try before then.
      await post([await wireReport({ category: 'cyberviolence' })]);
      time.advance(60_000);
      expect((await notifications.runOnce()).sent[created.id]).toMatchObject({ ok: false, rateLimited: true, error: expect.stringContaining('held back') });
      expect(fake.refused).toHaveLength(1);

      time.advance(10 * 60_000);
      expect((await notifications.runOnce()).sent[created.id]).toEqual({ ok: true });
      expect(fake.accepted).toHaveLength(1);
      expect(fake.texts()[0]).toContain('2 份新举报 · 2 new reports');
      [listed] = await listNotifiers(t.db);
      expect(listed?.lastError).toBeNull();
      expect(listed?.lastSentAt).toBe(time.now().toISOString());
    } finally {
      notifications.stop();
    }
  });

  it('keeps within each platform limit: DingTalk 20 a minute, Feishu 5 a second', async () => {
    const time = clock();
    const dingtalk = await robot('dingtalk', { now: time.ms });
    const ding = await createNotifier(t.db, { kind: 'dingtalk', name: 'Ding', webhookUrl: dingtalk.webhookUrl });
    const outcomes = [];
    for (let i = 0; i < 25; i++) outcomes.push((await sendTestNotification(t.db, ding.id, fetch, { limiter, now: time.now }))?.outcome);
    expect(outcomes.filter((o) => o?.ok)).toHaveLength(20);
    expect(outcomes.slice(20)).toEqual(Array(5).fill({ ok: false, rateLimited: true, error: expect.stringContaining('held back') }));
    // The robot itself saw exactly 20 and never had to refuse one.
    expect(dingtalk.accepted).toHaveLength(20);
    expect(dingtalk.refused).toEqual([]);
    // Not one more within the minute (a token bucket would let one through every 3 s and DingTalk would block the robot)...
    time.advance(30_000);
    expect((await sendTestNotification(t.db, ding.id, fetch, { limiter, now: time.now }))?.outcome).toMatchObject({ ok: false, rateLimited: true });
    // ...and room again once the first sends are a minute old.
    time.advance(30_000);
    expect((await sendTestNotification(t.db, ding.id, fetch, { limiter, now: time.now }))?.outcome).toEqual({ ok: true });
    expect(dingtalk.refused).toEqual([]);

    const feishu = await robot('feishu', { now: time.ms });
    const lark = await createNotifier(t.db, { kind: 'feishu', name: 'Lark', webhookUrl: feishu.webhookUrl });
    const larkOutcomes = [];
    for (let i = 0; i < 7; i++) larkOutcomes.push((await sendTestNotification(t.db, lark.id, fetch, { limiter, now: time.now }))?.outcome?.ok);
    expect(larkOutcomes).toEqual([true, true, true, true, true, false, false]);
    time.advance(1_000);
    expect((await sendTestNotification(t.db, lark.id, fetch, { limiter, now: time.now }))?.outcome).toEqual({ ok: true });
    expect(feishu.accepted).toHaveLength(6);
    expect(feishu.refused).toEqual([]);
  });
});

describe.each(ENGINES)('desk serve on %s', (engine) => {
  it('sends the digests every --notify-interval seconds, linking to --public-url', async () => {
    const database = await freshDatabase(engine);
    const fake = await startFakeRobot('feishu', { secret: 'serve-secret' });
    let desk: DeskProcess | undefined;
    try {
      const db = await database.open();
      const channel = await createChannel(db, { name: 'Riverside School' });
      const received = new Date(Date.now() - 2 * DIGEST_SETTLE_MS);
      await createNotifier(db, { kind: 'feishu', name: 'Lark', webhookUrl: fake.webhookUrl, secret: 'serve-secret' }, new Date(received.getTime() - 1_000));
      // A report stored a while ago (past the settle time), as intake stores its row.
      const id = randomUUID();
      await db
        .insertInto('reports')
        .values({
          id,
          cluster_id: id,
          title: '',
          channel_id: channel.id,
          receipt: 'FL-20261206-00000000AA',
          received_at: received.toISOString(),
          updated_at: received.toISOString(),
          revision: 1,
          state: 'new',
          category: 'rumor',
          url: 'https://weibo.example/post/1',
        })
        .execute();
      await db.destroy();

      desk = await serveDesk([...database.flags, '--notify-interval', '1', '--public-url', 'https://desk.example.org'], await freePort());
      for (let waited = 0; fake.accepted.length === 0 && waited < 20_000; waited += 100) await new Promise((done) => setTimeout(done, 100));
      expect(fake.refused).toEqual([]);
      expect(fake.texts()[0]).toContain('1 份新举报 · 1 new report');
      expect(fake.texts()[0]).toContain('FL-20261206-00000000AA');
      expect(fake.texts()[0]).toContain('https://desk.example.org/');
    } finally {
      desk?.child.kill('SIGTERM');
      await desk?.exited;
      await fake.close();
      database.cleanup();
    }
  });
});

describe('desk serve --notify-interval', () => {
  it('takes whole seconds only', async () => {
    await expect(run(['serve', '--notify-interval', 'often'])).rejects.toThrow(UsageError);
    await expect(run(['serve', '--notify-interval', '-5'])).rejects.toThrow(UsageError);
  });
});
