import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditPage, ChannelList, ChannelSecret, UserList, UserSummary } from '../../desk/api/contract';
import { parseProvisioning } from '../../utils/provisioning';
import { ENGINES } from './support/engines';
import { startTestDesk, type TestDesk } from './support/desk';
import { PASSWORD, signIn, userSession, type ApiClient } from './support/api';
import { deliver, reviewReport } from './support/reports';

describe.each(ENGINES)('admin routes on %s', (engine) => {
  let t: TestDesk;
  let admin: ApiClient;
  beforeEach(async () => {
    t = await startTestDesk(engine, { publicUrl: 'https://desk.school.example/' });
    admin = await userSession(t, 'admin@school.example', 'admin');
  });
  afterEach(async () => {
    await t.stop();
  });

  it('creates, lists and changes users, and keeps the last admin', async () => {
    const created = UserSummary.parse(
      await admin.json('/api/users', { method: 'POST', body: { email: 'Teacher@School.example', role: 'reviewer', password: PASSWORD } }),
    );
    expect(created).toMatchObject({ email: 'teacher@school.example', role: 'reviewer', disabled: false, channelIds: [], lastSignInAt: null });
    expect((await admin.call('/api/users', { method: 'POST', body: { email: 'teacher@school.example', role: 'reviewer', password: PASSWORD } })).status).toBe(
      409,
    );
    expect((await admin.call('/api/users', { method: 'POST', body: { email: 'x@school.example', role: 'reviewer', password: 'short' } })).status).toBe(400);
    await signIn(t, 'teacher@school.example');
    const list = UserList.parse(await admin.json('/api/users'));
    expect(list.users.map((u) => [u.email, u.role, u.lastSignInAt !== null])).toEqual([
      ['admin@school.example', 'admin', true],
      ['teacher@school.example', 'reviewer', true],
    ]);
    const changed = UserSummary.parse(await admin.json(`/api/users/${created.id}`, { method: 'PATCH', body: { role: 'admin', channelIds: [t.channel.id] } }));
    expect(changed).toMatchObject({ role: 'admin', channelIds: [t.channel.id] });
    expect((await admin.call(`/api/users/${created.id}`, { method: 'PATCH', body: { channelIds: ['no-such-channel'] } })).status).toBe(400);
    expect((await admin.call('/api/users/no-such-user', { method: 'PATCH', body: { disabled: true } })).status).toBe(404);
    await admin.json(`/api/users/${created.id}`, { method: 'PATCH', body: { role: 'reviewer' } });
    const last = await admin.call(`/api/users/${admin.session.user.id}`, { method: 'PATCH', body: { disabled: true } });
    expect(last.status).toBe(409);
    const actions = AuditPage.parse(await admin.json('/api/audit')).entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'user_update')).toHaveLength(2);
    expect(actions).toContain('user_create');
  });

  it('creates a channel with a provisioning file the extension imports, rotates its token and revokes it', async () => {
    const secret = ChannelSecret.parse(await admin.json('/api/channels', { method: 'POST', body: { name: '实验中学 初二', signing: true } }));
    expect(secret.channel).toMatchObject({
      name: '实验中学 初二',
      endpoint: 'https://desk.school.example/v1/reports',
      signing: true,
      revokedAt: null,
      reportCount: 0,
    });
    expect(secret.token).toMatch(/^flc_/);
    expect(secret.signingSecret).toMatch(/^whsec_/);
    const parsed = parseProvisioning(JSON.stringify(secret.provisioning));
    expect(parsed).toEqual({
      ok: true,
      file: {
        flaglineProvisioning: 1,
        organizationName: '实验中学 初二',
        settings: { endpointUrl: 'https://desk.school.example/v1/reports', accessToken: secret.token, signingSecret: secret.signingSecret },
      },
    });

    await deliver(t, [await reviewReport()]);
    const channels = ChannelList.parse(await admin.json('/api/channels')).channels;
    expect(channels.map((c) => [c.name, c.reportCount])).toEqual([
      ['Test school', 1],
      ['实验中学 初二', 0],
    ]);

    const rotated = ChannelSecret.parse(await admin.json(`/api/channels/${t.channel.id}/rotate`, { method: 'POST' }));
    expect(rotated.token).not.toBe(t.channel.token);
    const report = await reviewReport();
    const old = await fetch(t.desk.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${t.channel.token}` },
      body: JSON.stringify({ reports: [report] }),
    });
    expect(old.status).toBe(401);
    await deliver(t, [report], rotated.token);
    expect(parseProvisioning(JSON.stringify(rotated.provisioning))).toMatchObject({ ok: true, file: { settings: { accessToken: rotated.token } } });

    const revoked = await admin.json<{ revokedAt: string | null }>(`/api/channels/${t.channel.id}/revoke`, { method: 'POST' });
    expect(revoked.revokedAt).not.toBeNull();
    const after = await fetch(t.desk.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${rotated.token}` },
      body: JSON.stringify({ reports: [await reviewReport()] }),
    });
    expect(after.status).toBe(401);
    expect((await admin.call(`/api/channels/${t.channel.id}/rotate`, { method: 'POST' })).status).toBe(404);
    expect((await admin.call('/api/channels/nothing/revoke', { method: 'POST' })).status).toBe(404);
    const actions = AuditPage.parse(await admin.json('/api/audit')).entries.map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(['channel_revoke', 'channel_rotate', 'channel_create']);
  });

  it('pages the audit log newest first; the log has no way to change an entry', async () => {
    for (let i = 0; i < 120; i++)
      await admin.call('/api/users', { method: 'POST', body: { email: `u${i}@school.example`, role: 'reviewer', password: PASSWORD } });
    const first = AuditPage.parse(await admin.json('/api/audit'));
    expect(first.entries).toHaveLength(100);
    expect(first.entries[0]?.detail).toMatchObject({ email: 'u119@school.example' });
    const second = AuditPage.parse(await admin.json(`/api/audit?cursor=${first.nextCursor}`));
    expect(second.entries.map((e) => e.action)).toEqual([...Array(20).fill('user_create'), 'sign_in']);
    expect(second.nextCursor).toBeNull();
    const audit = await import('../../desk/store/audit');
    expect(Object.keys(audit).sort()).toEqual(['appendAudit', 'auditPage']);
  });
});
