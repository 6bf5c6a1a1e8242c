/** The admins' notifier routes (`/api/notifiers…`) over HTTP, with a signed-in session, against loopback fake robots. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, AuditPage, Notifier, NotifierList, NotifierTestResult } from '../../desk/api/contract';
import { ENGINES } from './support/engines';
import { startTestDesk, type TestDesk } from './support/desk';
import { userSession, type ApiClient } from './support/api';
import { ROBOT_TOKEN, startFakeRobot, type FakeRobot } from './support/robots';

const DINGTALK_SECRET = 'SECb9c1f0a4e2d84c1b9f0e3a7d6c5b4a39281706f5e4d3c2b1a0';

describe.each(ENGINES)('notifier routes on %s', (engine) => {
  let t: TestDesk;
  let admin: ApiClient;
  let robots: FakeRobot[];
  beforeEach(async () => {
    t = await startTestDesk(engine);
    admin = await userSession(t, 'admin@school.example', 'admin');
    robots = [];
  });
  afterEach(async () => {
    await Promise.all(robots.map((robot) => robot.close()));
    await t.stop();
  });

  it('lets an admin add a robot, list it masked, test it and delete it, each change audited', async () => {
    const robot = await startFakeRobot('dingtalk', { secret: DINGTALK_SECRET });
    robots.push(robot);
    expect(NotifierList.parse(await admin.json('/api/notifiers'))).toEqual({ notifiers: [] });

    const created = Notifier.parse(
      await admin.json('/api/notifiers', { method: 'POST', body: { kind: 'dingtalk', name: '值班群', webhookUrl: robot.webhookUrl, secret: DINGTALK_SECRET } }),
    );
    expect(created).toMatchObject({ kind: 'dingtalk', name: '值班群', hasSecret: true, lastSentAt: null, lastError: null });
    expect(created.webhookUrl).not.toContain(ROBOT_TOKEN);
    const listed = NotifierList.parse(await admin.json('/api/notifiers'));
    expect(listed.notifiers).toEqual([created]);
    expect(JSON.stringify(listed)).not.toContain(DINGTALK_SECRET);

    const tested = NotifierTestResult.parse(await admin.json(`/api/notifiers/${created.id}/test`, { method: 'POST' }));
    expect(tested).toMatchObject({ sent: true, rateLimited: false, error: null, notifier: { id: created.id, lastError: null } });
    expect(tested.notifier.lastSentAt).not.toBeNull();
    expect(robot.refused).toEqual([]);
    expect(robot.texts()).toHaveLength(1);
    expect(robot.texts()[0]).toContain('值班群');

    expect((await admin.call(`/api/notifiers/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(NotifierList.parse(await admin.json('/api/notifiers'))).toEqual({ notifiers: [] });
    expect((await admin.call(`/api/notifiers/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await admin.call(`/api/notifiers/${created.id}/test`, { method: 'POST' })).status).toBe(404);

    const audit = AuditPage.parse(await admin.json('/api/audit')).entries.filter((entry) => entry.action.startsWith('notifier_'));
    expect(audit.map((entry) => [entry.action, entry.subject, entry.actor?.email])).toEqual([
      ['notifier_delete', created.id, 'admin@school.example'],
      ['notifier_create', created.id, 'admin@school.example'],
    ]);
    // The robot's credentials never reach the audit log.
    expect(JSON.stringify(audit)).not.toContain(ROBOT_TOKEN);
    expect(JSON.stringify(audit)).not.toContain(DINGTALK_SECRET);
  });

  it('answers a test the robot refused with its reason, and records it as the last error', async () => {
    const robot = await startFakeRobot('feishu', { secret: 'the-right-secret' });
    robots.push(robot);
    const created = Notifier.parse(
      await admin.json('/api/notifiers', { method: 'POST', body: { kind: 'feishu', name: 'Lark', webhookUrl: robot.webhookUrl, secret: 'a-wrong-secret' } }),
    );
    const tested = NotifierTestResult.parse(await admin.json(`/api/notifiers/${created.id}/test`, { method: 'POST' }));
    expect(tested).toMatchObject({ sent: false, rateLimited: false });
    expect(tested.error).toContain('19021');
    expect(tested.notifier.lastError).toContain('19021');
    expect(tested.notifier.lastSentAt).toBeNull();
    expect(JSON.stringify(tested)).not.toContain(ROBOT_TOKEN);
  });

  it('refuses bad input with 400 and a reason', async () => {
    const refusal = async (body: unknown) => {
      const response = await admin.call('/api/notifiers', { method: 'POST', body });
      expect(response.status).toBe(400);
      return ApiError.parse(await response.json());
    };
    expect((await refusal({ kind: 'dingtalk', name: 'x', webhookUrl: 'http://oapi.dingtalk.com/robot/send?access_token=abc' })).error).toMatch(/https/);
    expect(
      (await refusal({ kind: 'wecom', name: 'x', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: 'not-for-wecom' })).error,
    ).toMatch(/WeCom/);
    expect((await refusal({ kind: 'slack', name: 'x', webhookUrl: 'https://hooks.example/x' })).issues?.map((issue) => issue.path)).toEqual(['kind']);
    expect((await refusal({ kind: 'feishu', name: '', webhookUrl: 'not a url' })).code).toBe('bad_request');
    expect(NotifierList.parse(await admin.json('/api/notifiers'))).toEqual({ notifiers: [] });
  });

  it('keeps reviewers out: 403 on every notifier route, and CSRF is required', async () => {
    const robot = await startFakeRobot('wecom');
    robots.push(robot);
    const created = Notifier.parse(await admin.json('/api/notifiers', { method: 'POST', body: { kind: 'wecom', name: 'Team', webhookUrl: robot.webhookUrl } }));
    const reviewer = await userSession(t, 'rev@school.example', 'reviewer');
    for (const [method, path, body] of [
      ['GET', '/api/notifiers', undefined],
      ['POST', '/api/notifiers', { kind: 'wecom', name: 'Mine', webhookUrl: robot.webhookUrl }],
      ['DELETE', `/api/notifiers/${created.id}`, undefined],
      ['POST', `/api/notifiers/${created.id}/test`, undefined],
    ] as const) {
      const response = await reviewer.call(path, { method, ...(body ? { body } : {}) });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    const withoutToken = await admin.call(`/api/notifiers/${created.id}`, { method: 'DELETE', headers: { 'X-CSRF-Token': '' } });
    expect(withoutToken.status).toBe(403);
    expect(robot.accepted).toEqual([]);
    expect(NotifierList.parse(await admin.json('/api/notifiers')).notifiers.map((n) => n.id)).toEqual([created.id]);
  });
});
