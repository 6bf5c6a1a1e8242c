import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { translate } from '@/utils/i18n';
import { ReportBatch } from '@/utils/schema/wire';
import { BundleManifest } from '@/utils/workspace/bundle';
import { noEvidence } from '@/utils/workspace/evidence';
import { buildBundle, CSV_COLUMNS, exportCsv, exportJson, loadExportItems } from '@/utils/workspace/export';
import { applyImport, parseImport } from '@/utils/workspace/import';
import { freshDb, testClock } from './helpers';
import { pageDay, putPages } from '@/utils/status/book';
import { artifact, memoryEvidence, seedReport } from './workspace-support';

const TRICKY = '造谣：他说"明天停水",\n请大家转发, =SUM(A1) 😀';
const bundleOptions = (now: number) => ({ now, t: translate, lang: 'en', categories: BUILT_IN_CATEGORIES });

/** A report's status token is a secret: no export may carry it. */
const STATUS_TOKEN = 'st_secret_0123456789abcdef';

async function sample() {
  const db = freshDb();
  const clock = testClock();
  const sent = await seedReport(db, clock, {
    url: 'https://weibo.example/p/1?utm_source=x',
    title: '标题, with "quotes"',
    category: 'cyberviolence',
    subReason: 'doxxing',
    explanation: TRICKY,
    patch: {
      status: 'sent',
      attempts: 1,
      sentAt: clock(),
      endpoint: 'https://r.example/v1/reports',
      receipt: 'R-42',
    },
  });
  // What the channel said, in the status book beside its token (never exported).
  await putPages(db.statusPages, [
    {
      key: `${pageDay(clock())}/0001`,
      entries: {
        [sent.id]: {
          url: 'https://r.example/v1/reports/status',
          token: STATUS_TOKEN,
          createdAt: sent.createdAt,
          review: { state: 'closed', outcome: 'removed', publicNote: '=已删除', updatedAt: '2026-11-24T12:00:00.000Z', learntAt: clock() },
        },
      },
    },
  ]);
  clock.advance(60_000);
  const held = await seedReport(db, clock, { explanation: '第二条\r\n多行', patch: { status: 'held' } });
  clock.advance(60_000);
  const waiting = await seedReport(db, clock, { category: 'minors', explanation: '-1 starts with minus' });
  await db.reports.update(sent.id, {
    ledger: [{ at: clock(), endpoint: 'https://r.example/v1/reports', outcome: 'accepted', httpStatus: 200, receipt: 'R-42' }],
  });
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]);
  const evidence = memoryEvidence(
    { [sent.id]: [await artifact('viewport.png', 'image/png', png), await artifact('selection.txt', 'text/plain;charset=utf-8', '被截取的文字')] },
    { [sent.id]: '被截取的文字' },
  );
  return { db, clock, evidence, sent, held, waiting, ids: [sent.id, held.id, waiting.id] };
}

describe('JSON export', () => {
  it('is the wire format and validates against the JSON Schema shipped with the extension', async () => {
    const { db, evidence, ids } = await sample();
    const items = await loadExportItems(db, evidence, ids);
    const json = JSON.parse(exportJson(items));
    expect(ReportBatch.parse(json)).toEqual(json);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync('public/protocol/report-batch.schema.json', 'utf8')));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.reports.map((r: { id: string }) => r.id)).toEqual(ids);
    expect(json.reports[0].explanation).toBe(TRICKY);
  });

  it('round-trips: import into an empty database gives every report back, held for review', async () => {
    const { db, evidence, ids } = await sample();
    const bytes = strToU8(exportJson(await loadExportItems(db, evidence, ids)));
    const target = freshDb();
    const result = await applyImport(target, memoryEvidence(), await parseImport(bytes), testClock());
    expect(result).toEqual({ added: 3, skipped: 0 });
    for (const id of ids) {
      expect((await target.reports.get(id))?.report).toEqual((await db.reports.get(id))?.report);
      expect((await target.reports.get(id))?.status).toBe('held');
    }
  });
});

describe('CSV export', () => {
  it('starts with a BOM and round-trips Chinese, commas, quotes and line breaks through Papa Parse', async () => {
    const { db, evidence, ids, sent } = await sample();
    const csv = exportCsv(await loadExportItems(db, evidence, ids));
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(3);
    const [first, second, third] = parsed.data;
    expect(first).toMatchObject({
      id: sent.id,
      status: 'sent',
      title: '标题, with "quotes"',
      explanation: TRICKY,
      receipt: 'R-42',
      capturedText: '被截取的文字',
      reviewState: 'closed',
      reviewOutcome: 'removed',
      publicNote: "'=已删除",
    });
    expect(csv).not.toContain(STATUS_TOKEN);
    expect(first?.site).toBe('weibo.example');
    expect(first?.evidenceSha256).toMatch(/^viewport\.png:[0-9a-f]{64} selection\.txt:[0-9a-f]{64}$/);
    expect(second?.explanation).toBe('第二条\r\n多行');
    // A cell a spreadsheet would run as a formula is neutralised.
    expect(third?.explanation).toBe("'-1 starts with minus");
  });
});

describe('CSV formula guard', () => {
  it('neutralises every cell whose first non-space character starts a formula, whatever follows, line breaks included', async () => {
    const db = freshDb();
    const clock = testClock();
    // [explanation, page title]: titles come from the tab as they are, explanations are trimmed.
    const cases: Array<[string, string]> = [
      ['=HYPERLINK("https://evil.example","点这里")\n第二行', '  =1+1'],
      ['＝SUM(A1)', '\t=cmd|calc'],
      ['@cmd\r\nx', '\r=2'],
      ['+1\nsecond line', 'plain title'],
      ['plain text = fine', 'a = b'],
    ];
    const ids: string[] = [];
    for (const [explanation, title] of cases) {
      ids.push((await seedReport(db, clock, { explanation, title })).id);
      clock.advance(1_000);
    }
    const csv = exportCsv(await loadExportItems(db, memoryEvidence(), ids));
    const rows = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((row) => row.explanation)).toEqual([`'${cases[0]![0]}`, `'${cases[1]![0]}`, `'${cases[2]![0]}`, `'${cases[3]![0]}`, 'plain text = fine']);
    expect(rows.map((row) => row.title)).toEqual([`'${cases[0]![1]}`, `'${cases[1]![1]}`, `'${cases[2]![1]}`, 'plain title', 'a = b']);
  });
});

describe('ZIP evidence bundle', () => {
  it('holds a manifest with every hash, the artifacts, captured text and a printable summary', async () => {
    const { db, evidence, ids, sent, clock } = await sample();
    const zip = buildBundle(await loadExportItems(db, evidence, ids), bundleOptions(clock()));
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(
      ['manifest.json', 'reports.csv', 'reports.json', 'summary.html', `evidence/${sent.id}/selection.txt`, `evidence/${sent.id}/viewport.png`].sort(),
    );
    const manifest = BundleManifest.parse(JSON.parse(strFromU8(files['manifest.json']!)));
    const artifacts = (await evidence.listArtifacts(sent.id)).map(({ name, sha256, size, mediaType }) => ({ name, sha256, size, mediaType }));
    expect(manifest.reports[0]?.artifacts).toMatchObject(artifacts);
    // The review learnt is a ledger line of its own, at the time it was learnt.
    expect(manifest.reports[0]?.ledger).toMatchObject([
      { outcome: 'status', review: { state: 'closed', outcome: 'removed' } },
      { outcome: 'accepted', receipt: 'R-42', httpStatus: 200 },
    ]);
    expect(manifest.reports[0]?.record.review).toMatchObject({ state: 'closed', outcome: 'removed', publicNote: '=已删除' });
    for (const file of Object.values(files)) expect(strFromU8(file)).not.toContain(STATUS_TOKEN);
    expect(files[`evidence/${sent.id}/viewport.png`]).toEqual((await evidence.listArtifacts(sent.id))[0]?.bytes);
    expect(strFromU8(files[`evidence/${sent.id}/selection.txt`]!)).toBe('被截取的文字');
    const html = strFromU8(files['summary.html']!);
    expect(html).toContain('@media print');
    expect(html).toContain('造谣：他说&quot;明天停水&quot;,');
    expect(html).not.toContain('"明天停水"');
    expect(html).toContain((await evidence.listArtifacts(sent.id))[0]?.sha256);
  });

  it('escapes page text in the summary: it is text, never markup', async () => {
    const db = freshDb();
    const clock = testClock();
    const r = await seedReport(db, clock, { title: '<img src=x onerror=alert(1)>', explanation: '<script>alert(1)</script>' });
    const html = strFromU8(unzipSync(buildBundle(await loadExportItems(db, noEvidence(db), [r.id]), bundleOptions(clock())))['summary.html']!);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('round-trips into a fresh database: ids, states, ledger, explanations and evidence hashes intact', async () => {
    const { db, evidence, ids, sent, held, waiting, clock } = await sample();
    const zip = buildBundle(await loadExportItems(db, evidence, ids), bundleOptions(clock()));
    const target = freshDb();
    const targetEvidence = memoryEvidence();
    expect(await applyImport(target, targetEvidence, await parseImport(zip), testClock())).toEqual({ added: 3, skipped: 0 });
    const imported = await target.reports.get(sent.id);
    expect(imported).toMatchObject({ status: 'sent', receipt: 'R-42', attempts: 1, report: sent.report });
    expect((await target.reports.get(held.id))?.status).toBe('held');
    // Waiting here means "would be sent": an import never sends without the user's decision.
    expect((await target.reports.get(waiting.id))?.status).toBe('held');
    expect(imported?.ledger).toMatchObject([
      { outcome: 'status', review: { state: 'closed', outcome: 'removed' } },
      { outcome: 'accepted', receipt: 'R-42' },
    ]);
    const hashes = (list: Array<{ name: string; sha256: string }>) => list.map(({ name, sha256 }) => ({ name, sha256 }));
    expect(hashes(targetEvidence.store.get(sent.id)!)).toEqual(hashes(await evidence.listArtifacts(sent.id)));

    // Importing the same file again adds nothing and counts the skips.
    expect(await applyImport(target, targetEvidence, await parseImport(zip), testClock())).toEqual({ added: 0, skipped: 3 });
    expect(await target.reports.count()).toBe(3);
  });
});

describe('import validation: a bad file changes nothing', () => {
  async function existing() {
    const db = freshDb();
    const clock = testClock();
    const mine = await seedReport(db, clock, { explanation: 'mine' });
    return { db, clock, mine, before: await db.reports.toArray() };
  }

  it('refuses a corrupted ZIP', async () => {
    const { db, evidence, ids, clock } = await sample();
    const zip = buildBundle(await loadExportItems(db, evidence, ids), bundleOptions(clock()));
    const corrupted = zip.slice(0, Math.floor(zip.length / 2));
    await expect(parseImport(corrupted)).rejects.toMatchObject({ key: 'workspace_import_corrupt' });
  });

  it('refuses a bundle whose evidence does not match its hash', async () => {
    const { db, evidence, ids, sent, clock } = await sample();
    const files = unzipSync(buildBundle(await loadExportItems(db, evidence, ids), bundleOptions(clock())));
    const path = `evidence/${sent.id}/viewport.png`;
    files[path] = files[path]!.map((b, i) => (i === 4 ? b ^ 1 : b));
    await expect(parseImport(zipSync(files))).rejects.toMatchObject({ key: 'workspace_import_hashMismatch', detail: path });
    delete files[path];
    await expect(parseImport(zipSync(files))).rejects.toMatchObject({ key: 'workspace_import_missingEvidence' });
  });

  it('refuses wrong JSON, foreign files and an empty batch', async () => {
    await expect(parseImport(strToU8('{"reports":[{"id":"x"}]}'))).rejects.toMatchObject({ key: 'workspace_import_invalid' });
    await expect(parseImport(strToU8('{"reports":[]}'))).rejects.toMatchObject({ key: 'workspace_import_invalid' });
    await expect(parseImport(strToU8('id,status\n1,sent'))).rejects.toMatchObject({ key: 'workspace_import_unknown' });
    await expect(parseImport(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).rejects.toMatchObject({ key: 'workspace_import_unknown' });
    await expect(parseImport(zipSync({ 'other.txt': strToU8('hi') }))).rejects.toMatchObject({ key: 'workspace_import_unknown' });
    await expect(parseImport(new Uint8Array())).rejects.toMatchObject({ key: 'workspace_import_empty' });
  });

  it('writes nothing when storing fails midway (one transaction)', async () => {
    const { db: source, evidence, ids, clock } = await sample();
    const plan = await parseImport(buildBundle(await loadExportItems(source, evidence, ids), bundleOptions(clock())));
    const { db, before } = await existing();
    const failing = { ...memoryEvidence(), storeArtifacts: async () => Promise.reject(new Error('disk full')) };
    await expect(applyImport(db, failing, plan, testClock())).rejects.toThrow('disk full');
    expect(await db.reports.toArray()).toEqual(before);
  });

  it('refuses evidence it cannot store instead of importing reports without it', async () => {
    const { db: source, evidence, ids, clock } = await sample();
    const plan = await parseImport(buildBundle(await loadExportItems(source, evidence, ids), bundleOptions(clock())));
    const { db, before } = await existing();
    await expect(applyImport(db, noEvidence(db), plan, testClock())).rejects.toMatchObject({ key: 'workspace_import_evidenceUnsupported' });
    expect(await db.reports.toArray()).toEqual(before);
  });

  it('skips ids already present and counts them', async () => {
    const { db, mine } = await existing();
    const items = await loadExportItems(db, noEvidence(db), [mine.id]);
    const result = await applyImport(db, noEvidence(db), await parseImport(strToU8(exportJson(items))), testClock());
    expect(result).toEqual({ added: 0, skipped: 1 });
    expect((await db.reports.get(mine.id))?.status).toBe('waiting');
  });
});
