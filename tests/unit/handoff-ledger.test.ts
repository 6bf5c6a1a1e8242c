import { describe, expect, it, vi } from 'vitest';
import { companionSurface } from '@/utils/browser-features';
import { effectiveChoice, loadDestinationChoice, opensFirstRun, saveDestinationChoice } from '@/utils/destination';
import { SHIPPED_CATALOGUE } from '@/utils/handoff/catalogue';
import { handoffLine, handoffsOf, recordHandoff } from '@/utils/handoff/ledger';
import { companionPath, openCompanion, type CompanionBrowser } from '@/utils/handoff/open';
import { parsePolicy } from '@/utils/policy';
import { exportCsv, exportJson, loadExportItems } from '@/utils/workspace/export';
import { noEvidence } from '@/utils/workspace/evidence';
import { filterRows, NOT_HANDED_OFF, toRow } from '@/utils/workspace/rows';
import { freshDb, seedSavedReports, testClock } from './helpers';

const channel = (id: string) => {
  const found = SHIPPED_CATALOGUE.channels.find((c) => c.id === id);
  if (!found) throw new Error(id);
  return found;
};

describe('the hand-off ledger', () => {
  it('records channel, time and case number as a line of the report’s own ledger, several channels per report', async () => {
    const db = freshDb();
    const clock = testClock();
    const [id] = await seedSavedReports(db, clock, 1);
    const before = await db.reports.get(id as string);
    expect(await recordHandoff(db, id as string, channel('cac-12377-web'), 1000, '  JB-2026-000123 ')).toBe(true);
    expect(await recordHandoff(db, id as string, channel('cac-12377-email'), 2000)).toBe(true);
    expect(await recordHandoff(db, id as string, channel('weibo-report'), 3000, 'W-9')).toBe(true);
    const after = await db.reports.get(id as string);
    expect(handoffsOf(after!)).toEqual([
      { at: 1000, endpoint: 'https://www.12377.cn/', outcome: 'handoff', channel: 'cac-12377-web', receipt: 'JB-2026-000123' },
      { at: 2000, endpoint: 'mailto:jubao@12377.cn', outcome: 'handoff', channel: 'cac-12377-email' },
      { at: 3000, endpoint: after!.report.target.url, outcome: 'handoff', channel: 'weibo-report', receipt: 'W-9' },
    ]);
    // A hand-off is not a delivery: the status, the body and the outbox's fields stay as they were.
    expect(after!.status).toBe(before!.status);
    expect(after!.report).toEqual(before!.report);
    expect(after!.attempts).toBe(before!.attempts);
    expect(await recordHandoff(db, '00000000-0000-4000-8000-000000000000', channel('cac-12377-web'), 1)).toBe(false);
  });

  it('sits beside endpoint delivery lines and is shown in rows, the filter and exports', async () => {
    const db = freshDb();
    const clock = testClock();
    const [handed, other] = await seedSavedReports(db, clock, 2);
    await db.reports.update(handed as string, {
      ledger: [
        { at: 10, endpoint: 'https://desk.example.org/v1/reports', outcome: 'accepted', receipt: 'D-1' },
        handoffLine(channel('piyao-web'), 'https://x.example/', 20, 'P-7'),
      ],
    });
    const rows = (await db.reports.toArray()).map((record) => toRow(record));
    expect(rows.find((r) => r.id === handed)?.handoffs).toEqual(['piyao-web']);
    expect(rows.find((r) => r.id === other)?.handoffs).toBeUndefined();
    expect(filterRows(rows, { sort: 'newest', handoff: 'piyao-web' }).map((r) => r.id)).toEqual([handed]);
    expect(filterRows(rows, { sort: 'newest', handoff: NOT_HANDED_OFF }).map((r) => r.id)).toEqual([other]);
    expect(filterRows(rows, { sort: 'newest', handoff: 'cac-12377-web' })).toEqual([]);

    const items = await loadExportItems(db, noEvidence(db), [handed as string, other as string]);
    const json = JSON.parse(exportJson(items));
    expect(json.handoffs).toEqual([{ reportId: handed, channel: 'piyao-web', at: new Date(20).toISOString(), caseNumber: 'P-7' }]);
    expect(json.reports).toHaveLength(2);
    const csv = exportCsv(items).split('\r\n');
    expect(csv[0]?.endsWith(',handedOffTo')).toBe(true);
    expect(csv.find((line) => line.startsWith(handed as string))).toContain(`piyao-web ${new Date(20).toISOString()} P-7`);
  });
});

describe('where reports go', () => {
  const empty = parsePolicy({});
  it('opens the first-run page only on a fresh install with no endpoint built in, no policy deciding and no choice made', () => {
    expect(opensFirstRun({ reason: 'install', buildEndpoint: '', policy: empty, stored: undefined })).toBe(true);
    expect(opensFirstRun({ reason: 'update', buildEndpoint: '', policy: empty, stored: undefined })).toBe(false);
    expect(opensFirstRun({ reason: 'install', buildEndpoint: 'http://127.0.0.1:8787/v1/reports', policy: empty, stored: undefined })).toBe(false);
    expect(opensFirstRun({ reason: 'install', buildEndpoint: '', policy: parsePolicy({ organizationName: 'No. 1 Middle School' }), stored: undefined })).toBe(
      false,
    );
    expect(opensFirstRun({ reason: 'install', buildEndpoint: '', policy: parsePolicy({ endpointUrl: 'https://r.example.org/v1' }), stored: undefined })).toBe(
      false,
    );
    expect(opensFirstRun({ reason: 'install', buildEndpoint: '', policy: empty, stored: 'official' })).toBe(false);
  });

  it('keeps the choice, and without one says what the settings mean', async () => {
    const db = freshDb();
    expect(await loadDestinationChoice(db)).toBeUndefined();
    expect(effectiveChoice(undefined, { endpointUrl: '' })).toBe('official');
    expect(effectiveChoice(undefined, { endpointUrl: 'https://r.example.org/' })).toBe('endpoint');
    await saveDestinationChoice(db, 'organisation');
    expect(await loadDestinationChoice(db)).toBe('organisation');
    expect(effectiveChoice('organisation', { endpointUrl: '' })).toBe('organisation');
  });
});

describe('opening the companion', () => {
  const windows = () => ({ create: vi.fn(async () => ({})) });
  const runtime = { getURL: (path: string) => `chrome-extension://id${path}` };

  it('uses the side panel where there is one, set to the companion for these reports', async () => {
    const sidePanel = { setOptions: vi.fn(async () => {}), open: vi.fn(async () => {}) };
    const browser: CompanionBrowser = { sidePanel, windows: windows(), runtime };
    expect(companionSurface(browser)).toBe('side-panel');
    expect(await openCompanion(browser, 4, companionPath(['a', 'b']))).toBe('side-panel');
    expect(sidePanel.setOptions).toHaveBeenCalledWith({ path: 'handoff.html?reports=a%2Cb', enabled: true });
    expect(sidePanel.open).toHaveBeenCalledWith({ windowId: 4 });
    expect(browser.windows.create).not.toHaveBeenCalled();
  });

  it("uses Firefox's sidebar, and a window where neither exists or the panel refuses", async () => {
    const sidebarAction = { setPanel: vi.fn(async () => {}), open: vi.fn(async () => {}) };
    const firefox: CompanionBrowser = { sidebarAction, windows: windows(), runtime };
    expect(await openCompanion(firefox, undefined, companionPath(['a'], 'piyao-web'))).toBe('sidebar');
    expect(sidebarAction.setPanel).toHaveBeenCalledWith({ panel: 'chrome-extension://id/handoff.html?reports=a&channel=piyao-web' });

    const plain: CompanionBrowser = { windows: windows(), runtime };
    expect(companionSurface(plain)).toBe('window');
    expect(await openCompanion(plain, 1, companionPath(['a']))).toBe('window');
    expect(plain.windows.create).toHaveBeenCalledWith(expect.objectContaining({ type: 'popup', url: 'chrome-extension://id/handoff.html?reports=a' }));

    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const refusing: CompanionBrowser = {
      sidePanel: { setOptions: async () => {}, open: async () => Promise.reject(new Error('No active side panel')) },
      windows: windows(),
      runtime,
    };
    expect(await openCompanion(refusing, 1, companionPath(['a']))).toBe('window');
  });
});

describe('a packet per email channel (volunteers)', () => {
  it('holds every report’s fields in the channel’s language, the evidence and a manifest of its hashes', async () => {
    const { unzipSync, strFromU8 } = await import('fflate');
    const { buildChannelPacket } = await import('@/utils/handoff/packet');
    const db = freshDb();
    const ids = await seedSavedReports(db, testClock(), 2);
    const items = (await loadExportItems(db, noEvidence(db), ids)).map((item, i) => ({
      ...item,
      artifacts: [{ name: 'element.png', mediaType: 'image/png', sha256: String(i).repeat(64), size: 3, bytes: new Uint8Array([i, 1, 2]) }],
    }));
    const files = unzipSync(buildChannelPacket(channel('cac-12377-email'), items, '2026-12-06T12:00:00.000+08:00'));
    expect(Object.keys(files).sort()).toEqual(
      ['evidence/' + ids[0] + '/element.png', 'evidence/' + ids[1] + '/element.png', 'fields.txt', 'manifest.json'].sort(),
    );
    const text = strFromU8(files['fields.txt']!);
    expect(text.startsWith('收件人：jubao@12377.cn\n\n# 1/2  举报：谣言类')).toBe(true);
    expect(text).toContain('举报网址：https://x.example/1');
    expect(text).toContain(`evidence/${ids[1]}/element.png  SHA-256 ${'1'.repeat(64)}`);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    expect(manifest).toMatchObject({ format: 'flagline-handoff-packet', channel: 'cac-12377-email', reports: [{ id: ids[0] }, { id: ids[1] }] });
    expect(manifest.reports[1].files).toEqual([{ path: `evidence/${ids[1]}/element.png`, mediaType: 'image/png', size: 3, sha256: '1'.repeat(64) }]);
  });
});
