import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesToBase64, manifestHash, sha256Hex } from '@/utils/evidence/hash';
import { buildBundle, loadExportItems } from '@/utils/workspace/export';
import { reportEvidence } from '@/utils/workspace/evidence';
import { applyImport, IMPORT_LIMITS, parseImport } from '@/utils/workspace/import';
import { freshDb, testClock } from './helpers';
import { seedReport } from './workspace-support';

/** Issue 20, finding 6: a ZIP import inflates only what its manifest names, within declared sizes and a budget. */

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const TEXT = strToU8('造谣的帖子 "quoted", with a comma, and some more text so that it deflates');

async function bundleWithEvidence() {
  const db = freshDb();
  const clock = testClock();
  const record = await seedReport(db, clock, { explanation: 'with evidence' });
  const parts = [
    { name: 'element.png' as const, mediaType: 'image/png' as const, bytes: PNG },
    { name: 'text.txt' as const, mediaType: 'text/plain;charset=utf-8' as const, bytes: TEXT },
  ];
  const entries = await Promise.all(parts.map(async (a) => ({ name: a.name, mediaType: a.mediaType, sha256: await sha256Hex(a.bytes), size: a.bytes.length })));
  const evidence = {
    manifestSha256: await manifestHash(entries),
    artifacts: entries.map((e, i) => ({ ...e, capturedAt: '2026-11-24T10:00:00.000+08:00', dataBase64: bytesToBase64(parts[i]!.bytes) })),
    unavailable: [],
  };
  await db.reports.update(record.id, { report: { ...record.report, evidence }, status: 'sent', attempts: 1 });
  const items = await loadExportItems(db, reportEvidence(db), [record.id]);
  return { id: record.id, clock, bytes: buildBundle(items, { now: clock(), t: (k: string) => k, lang: 'en', categories: [] }) };
}

/** Rebuilds a bundle with `first` as its first entry, deflated, and that entry's deflate stream broken (an invalid block type). */
function withBrokenFirstEntry(bundle: Uint8Array, first: [string, Uint8Array]): Uint8Array {
  const files: Zippable = { [first[0]]: [first[1], { level: 6 }] };
  for (const [name, data] of Object.entries(unzipSync(bundle))) if (name !== first[0]) files[name] = data;
  const zip = zipSync(files);
  const view = new DataView(zip.buffer);
  const dataStart = 30 + view.getUint16(26, true) + view.getUint16(28, true);
  zip[dataStart] = 0x07; // BFINAL=1, BTYPE=11: reserved, no inflater accepts it
  return zip;
}

describe('ZIP import limits (zip bomb)', () => {
  it('the well-formed bundle imports (the baseline the other cases change)', async () => {
    const { bytes, clock } = await bundleWithEvidence();
    const target = freshDb();
    expect(await applyImport(target, reportEvidence(target), await parseImport(bytes), clock)).toEqual({ added: 1, skipped: 0 });
  });

  it('never inflates an entry the manifest does not name: a broken stream there does not matter', async () => {
    const { bytes, clock, id } = await bundleWithEvidence();
    const zip = withBrokenFirstEntry(bytes, ['padding.bin', new Uint8Array(200_000)]);
    const target = freshDb();
    expect(await applyImport(target, reportEvidence(target), await parseImport(zip), clock)).toEqual({ added: 1, skipped: 0 });
    expect((await reportEvidence(target).listArtifacts(id)).map((a) => a.name)).toEqual(['element.png', 'text.txt']);
  });

  it('refuses an evidence entry whose archive size differs from the manifest before inflating it', async () => {
    const { bytes, id } = await bundleWithEvidence();
    const zip = withBrokenFirstEntry(bytes, [`evidence/${id}/text.txt`, new Uint8Array(5_000_000)]);
    await expect(parseImport(zip)).rejects.toMatchObject({ key: 'workspace_import_hashMismatch' });
  });

  it('refuses a file over the entry count, the manifest cap or the inflated budget, and writes nothing', async () => {
    const { bytes } = await bundleWithEvidence();
    const manifestSize = unzipSync(bytes)['manifest.json']!.length;
    for (const limits of [
      { ...IMPORT_LIMITS, maxEntries: 3 },
      { ...IMPORT_LIMITS, maxManifestBytes: manifestSize - 1 },
      { ...IMPORT_LIMITS, maxInflatedBytes: manifestSize + PNG.length + TEXT.length - 1 },
    ]) {
      await expect(parseImport(bytes, limits)).rejects.toMatchObject({ key: 'workspace_import_tooLarge' });
    }
    await expect(parseImport(bytes, { ...IMPORT_LIMITS, maxInflatedBytes: manifestSize + PNG.length + TEXT.length })).resolves.toMatchObject({ kind: 'zip' });
  });
});
