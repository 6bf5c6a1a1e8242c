import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { BundleManifest } from '../../utils/workspace/bundle';
import { ReportBatch } from '../../utils/schema/wire';
import { ExtensionHarness } from './support/extension';
import { expect, test } from './support/fixtures';
import { holdForReview, openWorkspace, reportPage, rows } from './support/workspace';

async function download(workspace: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([workspace.waitForEvent('download'), workspace.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

async function importFile(workspace: Page, name: string, bytes: Buffer | Uint8Array, mimeType: string) {
  await workspace.getByLabel('Import file').setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
}

const comparable = (records: Awaited<ReturnType<ExtensionHarness['records']>>) =>
  records.map(({ id, report, status, receipt }) => ({ id, report, status, receipt })).sort((a, b) => a.id.localeCompare(b.id));

test.describe('workspace: export and import between browser profiles', () => {
  test('a ZIP bundle and JSON made in one profile import into a fresh one with everything intact', async ({ extension, receiver, site }) => {
    await reportPage(
      extension,
      `${site.url}/article.html?case=export-sent`,
      { category: 'Rumor', explanation: '已发送的举报, with "quotes"\n第二行' },
      /Report sent/,
    );
    await holdForReview(extension);
    await reportPage(
      extension,
      `${site.url}/article.html?case=export-held`,
      { category: 'Harmful to minors', reason: 'Gambling and online loans', explanation: '待检查' },
      /Saved for review/,
    );
    const original = await extension.records();
    expect(original.map((r) => r.status).sort()).toEqual(['held', 'sent']);

    const workspace = await openWorkspace(extension);
    await expect(rows(workspace)).toHaveCount(2);
    const zip = await download(workspace, 'Export evidence bundle (ZIP)');
    expect(zip.name).toMatch(/^flagline-reports-\d{8}-\d{4}\.zip$/);
    const json = await download(workspace, 'Export JSON');
    const csv = await download(workspace, 'Export CSV');
    expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.bytes.toString('utf8')).toContain('"已发送的举报, with ""quotes""\n第二行"');

    const files = unzipSync(new Uint8Array(zip.bytes));
    const manifest = BundleManifest.parse(JSON.parse(strFromU8(files['manifest.json']!)));
    expect(manifest.reports.map((r) => r.report.id).sort()).toEqual(original.map((r) => r.id).sort());
    expect(strFromU8(files['summary.html']!)).toContain('已发送的举报, with &quot;quotes&quot;');
    expect(ReportBatch.parse(JSON.parse(json.bytes.toString('utf8'))).reports).toHaveLength(2);
    const sentReceipt = receiver.reports()[0]?.receipt;
    expect(manifest.reports.find((r) => r.record.status === 'sent')?.ledger).toMatchObject([{ outcome: 'accepted', receipt: sentReceipt }]);

    const fresh = await ExtensionHarness.launch();
    try {
      const target = await openWorkspace(fresh);
      await importFile(target, zip.name, zip.bytes, 'application/zip');
      await expect(target.getByText('2 reports imported, 0 already here (skipped).')).toBeVisible();
      await expect(rows(target)).toHaveCount(2);
      expect(comparable(await fresh.records())).toEqual(comparable(original));

      // The sent one stays sent and read-only, with its ledger and receipt.
      await rows(target)
        .filter({ hasText: 'Sent' })
        .getByRole('button', { name: /^Details/ })
        .click();
      const detail = target.getByRole('region', { name: 'Report details' });
      await expect(detail.getByText(/can no longer be changed/)).toBeVisible();
      await expect(detail.getByRole('cell', { name: sentReceipt as string })).toBeVisible();

      await importFile(target, json.name, json.bytes, 'application/json');
      await expect(target.getByText('0 reports imported, 2 already here (skipped).')).toBeVisible();
      expect(await fresh.records()).toHaveLength(2);
    } finally {
      await fresh.close();
    }
  });

  test('a corrupted or tampered file is refused with a clear error and nothing changes', async ({ extension, site }) => {
    await holdForReview(extension);
    await reportPage(extension, `${site.url}/article.html?case=corrupt`, { category: 'Rumor', explanation: 'keep me' }, /Saved for review/);
    const workspace = await openWorkspace(extension);
    const zip = await download(workspace, 'Export evidence bundle (ZIP)');
    const before = await extension.records();

    const status = workspace.getByRole('status').first();
    await importFile(workspace, 'broken.zip', zip.bytes.subarray(0, Math.floor(zip.bytes.length / 2)), 'application/zip');
    await expect(status).toHaveText('The file was not imported, nothing was changed: the ZIP file is damaged.');

    // A bundle whose evidence file was altered after export: the hash check refuses it.
    const files = unzipSync(new Uint8Array(zip.bytes));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    const other = { ...manifest.reports[0], report: { ...manifest.reports[0].report, id: '4b0c3a6e-1f2d-4c3b-9a8e-7d6c5b4a3f21' } };
    other.artifacts = [{ name: 'viewport.png', path: `evidence/${other.report.id}/viewport.png`, mediaType: 'image/png', size: 3, sha256: '0'.repeat(64) }];
    manifest.reports.push(other);
    files['manifest.json'] = strToU8(JSON.stringify(manifest));
    files[`evidence/${other.report.id}/viewport.png`] = new Uint8Array([1, 2, 3]);
    await importFile(workspace, 'tampered.zip', zipSync(files), 'application/zip');
    await expect(status).toContainText('does not match its SHA-256 hash');

    await importFile(workspace, 'notes.json', Buffer.from('{"reports":[{"id":"not-a-report"}]}'), 'application/json');
    await expect(status).toContainText('does not match the Flagline format');

    expect(await extension.records()).toEqual(before);
    await expect(rows(workspace)).toHaveCount(1);
  });
});
