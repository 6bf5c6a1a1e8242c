// @vitest-environment happy-dom
import { render, screen } from '@testing-library/preact';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { ReportDetail } from '@/components/workspace/ReportDetail';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { translate } from '@/utils/i18n';
import { noEvidence } from '@/utils/workspace/evidence';
import { buildBundle, exportJson, loadExportItems } from '@/utils/workspace/export';
import { applyImport, parseImport } from '@/utils/workspace/import';
import { freshDb, testClock } from './helpers';
import { seedReport } from './workspace-support';

/** Issue 20, finding 7: an imported bundle is a file from anywhere. */

const bundleOptions = (now: number) => ({ now, t: translate, lang: 'en', categories: BUILT_IN_CATEGORIES });

async function sentBundle() {
  const db = freshDb();
  const clock = testClock();
  const sent = await seedReport(db, clock, {
    explanation: 'sent elsewhere',
    patch: { status: 'sent', attempts: 1, sentAt: clock(), endpoint: 'https://r.example/v1/reports', receipt: 'INVENTED-1' },
  });
  await db.reports.update(sent.id, {
    ledger: [{ at: clock(), endpoint: 'https://r.example/v1/reports', outcome: 'accepted', httpStatus: 200, receipt: 'INVENTED-1' }],
  });
  const items = await loadExportItems(db, noEvidence(db), [sent.id]);
  return { sent, clock, items, zip: buildBundle(items, bundleOptions(clock())) };
}

function rewriteManifest(zip: Uint8Array, change: (manifest: { reports: Array<Record<string, unknown> & { ledger: unknown[] }> }) => void) {
  const files = unzipSync(zip);
  const manifest = JSON.parse(strFromU8(files['manifest.json']!));
  change(manifest);
  files['manifest.json'] = strToU8(JSON.stringify(manifest));
  return zipSync(files);
}

describe('imported bundles', () => {
  it('mark a delivery as recorded on another device, and the report detail says so', async () => {
    const { sent, zip } = await sentBundle();
    const target = freshDb();
    const now = testClock(Date.UTC(2026, 11, 1));
    await applyImport(target, noEvidence(target), await parseImport(zip), now);
    const imported = (await target.reports.get(sent.id))!;
    expect(imported).toMatchObject({ status: 'sent', receipt: 'INVENTED-1', importedAt: now() });
    render(
      h(ReportDetail, {
        record: imported,
        ledger: imported.ledger ?? [],
        artifacts: [],
        categories: BUILT_IN_CATEGORIES,
        formatTime: String,
        onSave: async () => undefined,
        onClose: () => undefined,
      }),
    );
    expect(screen.getByText(translate('workspace_detail_imported'))).toBeTruthy();
    expect(screen.getByText(translate('workspace_detail_importedNote'))).toBeTruthy();
  });

  it('refuse unbounded ledger strings and arrays', async () => {
    const { zip } = await sentBundle();
    const longDetail = rewriteManifest(zip, (m) => {
      (m.reports[0]!.ledger[0] as Record<string, unknown>).detail = 'x'.repeat(100_000);
    });
    await expect(parseImport(longDetail)).rejects.toMatchObject({ key: 'workspace_import_invalid' });
    const longReceipt = rewriteManifest(zip, (m) => {
      (m.reports[0]!.ledger[0] as Record<string, unknown>).receipt = 'r'.repeat(10_000);
    });
    await expect(parseImport(longReceipt)).rejects.toMatchObject({ key: 'workspace_import_invalid' });
    const manyLines = rewriteManifest(zip, (m) => {
      m.reports[0]!.ledger = Array.from({ length: 10_001 }, () => m.reports[0]!.ledger[0]);
    });
    await expect(parseImport(manyLines)).rejects.toMatchObject({ key: 'workspace_import_invalid' });
  });

  it('refuse a selector nested 5,000 shadow roots deep with the translated error, not a stack overflow; 8 levels pass', async () => {
    const { items } = await sentBundle();
    // Written as text: JSON.stringify itself recurses and would overflow first.
    const nested = (depth: number) =>
      '{"type":"CssSelector","value":"x-host","refinedBy":'.repeat(depth - 1) + '{"type":"CssSelector","value":"p"}' + '}'.repeat(depth - 1);
    const withSelector = (depth: number) => {
      const json = JSON.parse(exportJson(items));
      json.reports[0].target.selectors = ['SELECTOR'];
      return strToU8(JSON.stringify(json).replace('"SELECTOR"', nested(depth)));
    };
    await expect(parseImport(withSelector(8))).resolves.toMatchObject({ kind: 'json' });
    await expect(parseImport(withSelector(9))).rejects.toMatchObject({ key: 'workspace_import_invalid' });
    await expect(parseImport(withSelector(5_000))).rejects.toMatchObject({ key: 'workspace_import_invalid' });
  });
});
