/** `GET /api/reports/{id}/handoff-packet?channel=ID` over HTTP: the ZIP a reviewer takes to an official channel. */
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditPage, ReportView } from '../../desk/api/contract';
import type { PacketManifest } from '../../desk/handoff/packet';
import { createChannel } from '../../desk/store/channels';
import { randomScreenshot } from '../support/wire-reports';
import { ENGINES } from './support/engines';
import { startTestDesk, type TestDesk } from './support/desk';
import { userSession, type ApiClient } from './support/api';
import { deliver, reviewReport } from './support/reports';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const packetPath = (reportId: string, channelId: string) => `/api/reports/${reportId}/handoff-packet?channel=${encodeURIComponent(channelId)}`;

describe.each(ENGINES)('the hand-off packet route on %s', (engine) => {
  let t: TestDesk;
  let admin: ApiClient;
  beforeEach(async () => {
    t = await startTestDesk(engine);
    admin = await userSession(t, 'admin@school.example', 'admin');
  });
  afterEach(async () => {
    await t.stop();
  });

  it('downloads a ZIP whose manifest matches the evidence the Desk stored, audited as an export', async () => {
    const [result] = await deliver(t, [await reviewReport({ screenshot: randomScreenshot(3_000), text: '明天全市停水三天，请大家转发' })]);
    const id = result?.id ?? '';
    const response = await admin.call(packetPath(id, 'cac-12377-email'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="flagline-handoff-${result?.receipt}-cac-12377-email.zip"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array)) as PacketManifest;
    expect(manifest.report).toEqual({ id, receipt: result?.receipt });
    expect(manifest.channel.id).toBe('cac-12377-email');
    expect(Object.keys(files).sort()).toEqual(['email.eml', 'evidence/text.txt', 'evidence/viewport.png', 'fields.txt', 'mailto.txt', 'manifest.json']);
    // Every file is what the manifest says, and the evidence is byte for byte what the Desk stored.
    for (const file of manifest.files) expect(sha256(files[file.path] as Uint8Array), file.path).toBe(file.sha256);
    const stored = await t.db
      .selectFrom('report_artifacts as a')
      .innerJoin('evidence_blobs as b', 'b.sha256', 'a.sha256')
      .select(['a.name', 'a.sha256', 'b.bytes'])
      .where('a.report_id', '=', id)
      .orderBy('a.name')
      .execute();
    expect(stored).toHaveLength(2);
    for (const artifact of stored) {
      const entry = manifest.files.find((file) => file.path === `evidence/${artifact.name}`);
      expect(entry).toMatchObject({ sha256: artifact.sha256, reportedSha256: artifact.sha256, matchesReported: true, size: artifact.bytes.length });
      expect(Buffer.from(files[`evidence/${artifact.name}`] as Uint8Array).equals(Buffer.from(artifact.bytes))).toBe(true);
    }
    expect(strFromU8(files['evidence/text.txt'] as Uint8Array)).toBe('明天全市停水三天，请大家转发');
    expect(strFromU8(files['mailto.txt'] as Uint8Array)).toMatch(/^mailto:jubao@12377\.cn\?/);

    const [entry] = AuditPage.parse(await admin.json('/api/audit')).entries;
    expect(entry).toMatchObject({ action: 'export', subject: id, actor: { email: 'admin@school.example' } });
    expect(entry?.detail).toMatchObject({ format: 'handoff-packet', channelId: 'cac-12377-email' });
  });

  it('refuses a channel that is not in the catalogue with 400, and an unknown report with 404', async () => {
    const [result] = await deliver(t, [await reviewReport()]);
    for (const query of ['?channel=no-such-channel', '?channel=', '']) {
      const response = await admin.call(`/api/reports/${result?.id}/handoff-packet${query}`);
      expect(response.status, query).toBe(400);
    }
    expect((await admin.call(packetPath('00000000-0000-4000-8000-000000000000', 'cac-12377-web'))).status).toBe(404);
  });

  it('serves a reviewer the packets of their channels only: 404 outside, unaudited', async () => {
    const other = await createChannel(t.db, { name: 'Other school' });
    const [mine] = await deliver(t, [await reviewReport()]);
    const [theirs] = await deliver(t, [await reviewReport({ screenshot: randomScreenshot(500) })], other.token);
    const reviewer = await userSession(t, 'rev@school.example', 'reviewer');
    await admin.json(`/api/users/${reviewer.session.user.id}`, { method: 'PATCH', body: { channelIds: [t.channel.id] } });
    const before = AuditPage.parse(await admin.json('/api/audit')).entries.length;

    const refused = await reviewer.call(packetPath(theirs?.id ?? '', 'cac-12377-web'));
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(AuditPage.parse(await admin.json('/api/audit')).entries).toHaveLength(before);

    const allowed = await reviewer.call(packetPath(mine?.id ?? '', 'cac-12377-web'));
    expect(allowed.status).toBe(200);
    const manifest = JSON.parse(strFromU8(unzipSync(new Uint8Array(await allowed.arrayBuffer()))['manifest.json'] as Uint8Array)) as PacketManifest;
    const view = ReportView.parse(await admin.json(`/api/reports/${mine?.id}`));
    expect(manifest.files.filter((file) => file.path.startsWith('evidence/')).map((file) => file.sha256)).toEqual(view.artifacts.map((a) => a.sha256));
    // No session: no packet.
    expect((await fetch(`${t.desk.url}${packetPath(mine?.id ?? '', 'cac-12377-web')}`)).status).toBe(401);
  });
});
