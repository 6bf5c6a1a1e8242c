// @vitest-environment happy-dom
import { render, screen, waitFor } from '@testing-library/preact';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { RowThumb } from '@/components/workspace/ReportList';
import { toRow } from '@/utils/workspace/rows';
import { bytesToBase64, manifestHash, sha256Hex } from '@/utils/evidence/hash';
import { buildBundle, exportJson, loadExportItems } from '@/utils/workspace/export';
import { reportEvidence } from '@/utils/workspace/evidence';
import { applyImport, parseImport } from '@/utils/workspace/import';
import { freshDb, testClock } from './helpers';
import { seedReport } from './workspace-support';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const TEXT = new TextEncoder().encode('造谣的帖子 "quoted", with a comma');

async function evidence() {
  const artifacts = [
    { name: 'element.png' as const, mediaType: 'image/png' as const, bytes: PNG },
    { name: 'text.txt' as const, mediaType: 'text/plain;charset=utf-8' as const, bytes: TEXT },
  ];
  const entries = await Promise.all(
    artifacts.map(async (a) => ({ name: a.name, mediaType: a.mediaType, sha256: await sha256Hex(a.bytes), size: a.bytes.length })),
  );
  return {
    manifestSha256: await manifestHash(entries),
    artifacts: entries.map((e, i) => ({ ...e, capturedAt: '2026-11-24T10:00:00.000+08:00', dataBase64: bytesToBase64(artifacts[i]!.bytes) })),
    unavailable: [],
  };
}

async function seedWithEvidence() {
  const db = freshDb();
  const clock = testClock();
  const record = await seedReport(db, clock, { explanation: 'with evidence' });
  const report = { ...record.report, evidence: await evidence(), target: { ...record.report.target, text: '造谣的帖子' } };
  await db.reports.update(record.id, { report, status: 'sent', attempts: 1 });
  return { db, clock, id: record.id };
}

describe('workspace evidence from the report body', () => {
  it('lists the captured artifacts with their bytes and hashes, and the captured text', async () => {
    const { db, id } = await seedWithEvidence();
    const source = reportEvidence(db);
    const listed = await source.listArtifacts(id);
    expect(listed.map((a) => a.name)).toEqual(['element.png', 'text.txt']);
    expect(listed[0]!.bytes).toEqual(PNG);
    expect(listed[1]!.sha256).toBe(await sha256Hex(TEXT));
    expect(source.capturedText((await db.reports.get(id))!)).toBe('造谣的帖子');
  });

  it('export → import into a fresh database keeps the evidence and its hashes (JSON and ZIP)', async () => {
    const { db, clock, id } = await seedWithEvidence();
    const items = await loadExportItems(db, reportEvidence(db), [id]);
    for (const bytes of [new TextEncoder().encode(exportJson(items)), buildBundle(items, { now: clock(), t: (k: string) => k, lang: 'en', categories: [] })]) {
      const target = freshDb();
      const result = await applyImport(target, reportEvidence(target), await parseImport(bytes), clock);
      expect(result).toEqual({ added: 1, skipped: 0 });
      const imported = await reportEvidence(target).listArtifacts(id);
      expect(imported.map((a) => [a.name, a.sha256])).toEqual((await reportEvidence(db).listArtifacts(id)).map((a) => [a.name, a.sha256]));
      expect(imported[0]!.bytes).toEqual(PNG);
    }
  });

  it('refuses a file whose embedded evidence bytes no longer match their hashes, and changes nothing', async () => {
    const { db, clock, id } = await seedWithEvidence();
    const json = JSON.parse(exportJson(await loadExportItems(db, reportEvidence(db), [id])));
    const tampered = new Uint8Array(PNG);
    tampered[9] = 9;
    json.reports[0].evidence.artifacts[0].dataBase64 = bytesToBase64(tampered);
    await expect(parseImport(new TextEncoder().encode(JSON.stringify(json)))).rejects.toMatchObject({ key: 'workspace_import_hashMismatch' });
    const target = freshDb();
    expect(await target.reports.count()).toBe(0);
    void clock;
  });
});

describe('workspace thumbnails', () => {
  it('a row knows when its report has an image, and the thumbnail shows the loaded crop', async () => {
    const { db, id } = await seedWithEvidence();
    expect(toRow((await db.reports.get(id))!).hasImage).toBe(true);
    render(h(RowThumb, { id, blurred: true, load: async () => 'blob:thumb', title: 'Preview blurred' }));
    await waitFor(() => expect(screen.getByTestId('row-thumb').getAttribute('src')).toBe('blob:thumb'));
    expect(screen.getByTestId('row-thumb').parentElement?.className).toContain('blurred');
  });
});

describe('the school’s own categories in the workspace', () => {
  it('the printable summary names a custom category by its label, not its fallback', async () => {
    const { resolveCategories } = await import('@/utils/policy');
    const { summaryHtml } = await import('@/utils/workspace/export');
    const { translate } = await import('@/utils/i18n');
    const categories = resolveCategories({ custom: [{ id: 'bullying', label: { en: 'Bullying at school', zh_CN: '校园欺凌' } }] }, 'zh_CN');
    const custom = categories.find((c) => c.id === 'custom:bullying')!;
    const db = freshDb();
    const clock = testClock();
    const record = await seedReport(db, clock);
    const html = summaryHtml([{ record: { ...record, report: { ...record.report, category: custom.id } }, ledger: [], artifacts: [] }], {
      now: clock(),
      t: translate,
      lang: 'zh-CN',
      categories,
    });
    expect(html).toContain('校园欺凌');
  });
});
