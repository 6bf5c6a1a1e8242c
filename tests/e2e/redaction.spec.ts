import type { Page } from '@playwright/test';
import { colourShare } from '../../utils/evidence/png-crop';
import { submitReport } from './support/extension';
import { expect, pickByClick, pngSize, showEvidence, startPicker, storeRows, test } from './support/picker';

/**
 * Issue 19: blacking out a name or a face before the screenshot is sent. The receiver gets the
 * redacted PNG — black inside every area, in the bytes — with hashes that verify; the original
 * is never sent, and stays on this device only when the user asks.
 */

/** The areas the box tool lists as text: "Area 1: from 12, 34, 56 × 78 pixels". */
async function listedAreas(form: Page) {
  const items = await form.locator('.redact-list li span').allInnerTexts();
  return items.map((text) => {
    const [, x, y, width, height] = text.match(/(\d+), (\d+), (\d+) × (\d+)/)!.map(Number);
    return { x: x!, y: y!, width: width!, height: height! };
  });
}

async function tabTo(page: Page, name: string | RegExp, role: 'button' | 'checkbox' = 'button') {
  const target = page.getByRole(role, { name, exact: typeof name === 'string' });
  for (let i = 0; i < 30; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

test('keyboard only: two areas blacked out in the sent screenshot, new hashes verify at the receiver, the ledger says so', async ({
  extension,
  receiver,
  site,
}) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html?case=redact-keys`);
  await startPicker(extension, page);
  const form = await pickByClick(extension, page, page.locator('article'), { x: 2, y: 2 });
  await expect(form.getByRole('button', { name: /3 items, verified/ })).toBeVisible();
  const [before] = (await storeRows(extension, 'artifacts')).filter((r) => (r as { name: string }).name === 'viewport.png') as Array<{ sha256: string }>;

  // Into the evidence and on to Redact, with the keyboard alone.
  await tabTo(form, /Evidence: 3 items/);
  await form.keyboard.press('Enter');
  await tabTo(form, 'Redact');
  await form.keyboard.press('Enter');
  await expect(form.getByRole('heading', { name: 'Black out parts of the screenshot' })).toBeVisible();
  await expect(form.getByRole('application', { name: 'Screenshot to redact' })).toBeFocused();
  // Move the box, resize it, add it; move on and add a second.
  await form.keyboard.press('ArrowRight');
  await form.keyboard.press('ArrowRight');
  await form.keyboard.press('Shift+ArrowDown');
  await form.keyboard.press('Shift+ArrowRight');
  await form.keyboard.press('Enter');
  for (let i = 0; i < 6; i++) await form.keyboard.press('ArrowDown');
  await form.keyboard.press('Enter');
  await expect(form.getByText('Areas to black out: 2')).toBeVisible();
  const areas = await listedAreas(form);
  expect(areas).toHaveLength(2);
  expect(areas[1]!.y).toBeGreaterThan(areas[0]!.y);
  await tabTo(form, 'Apply redaction');
  await form.keyboard.press('Enter');

  await expect(form.getByText('Redacted (2 areas)').first()).toBeVisible();
  await expect(form.getByRole('button', { name: /3 items, verified/ })).toBeVisible();
  // The original is gone from this device: no kept copy, and the stored screenshot is another.
  expect((await storeRows(extension, 'keyValue')).some((r) => String((r as { key: string }).key).startsWith('redaction.original:'))).toBe(false);
  const [after] = (await storeRows(extension, 'artifacts')).filter((r) => (r as { name: string }).name === 'viewport.png') as Array<{ sha256: string }>;
  expect(after!.sha256).not.toBe(before!.sha256);

  await submitReport(form, { category: 'Cyberviolence', reason: 'Doxxing / privacy exposure' });
  const stored = await receiver.waitForReport();
  expect(stored.evidenceCheck?.ok).toBe(true);
  const artifacts = stored.report.evidence!.artifacts;
  const viewport = artifacts.find((a) => a.name === 'viewport.png')!;
  expect(viewport.sha256).toBe(after!.sha256);
  expect(JSON.stringify(stored.report)).not.toContain(before!.sha256);
  expect(artifacts.filter((a) => a.redactedAreas).map((a) => [a.name, a.redactedAreas])).toEqual(
    expect.arrayContaining([
      ['viewport.png', 2],
      ['element.png', 2],
    ]),
  );
  // Black inside each area, in the received bytes; not black around them.
  const png = bytes(viewport.dataBase64);
  expect(pngSize(viewport.dataBase64).width).toBeGreaterThan(0);
  for (const area of areas) expect(await colourShare(png, area, [0, 0, 0], 0)).toBe(1);
  expect(await colourShare(png, { x: 0, y: 0, width: areas[0]!.x, height: 10 }, [0, 0, 0], 0)).toBeLessThan(1);
});

test('mouse: a dragged area is blacked out; the original is kept on this device only, never sent', async ({ extension, receiver, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html?case=redact-mouse`);
  await startPicker(extension, page);
  const form = await pickByClick(extension, page, page.locator('article'), { x: 2, y: 2 });
  await showEvidence(form);
  const [before] = (await storeRows(extension, 'artifacts')).filter((r) => (r as { name: string }).name === 'viewport.png') as Array<{ sha256: string }>;
  await form.getByRole('button', { name: 'Redact' }).click();
  const stage = form.getByRole('application', { name: 'Screenshot to redact' });
  const box = (await stage.boundingBox())!;
  await form.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
  await form.mouse.down();
  await form.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4, { steps: 4 });
  await form.mouse.up();
  await expect(form.getByText('Areas to black out: 1')).toBeVisible();
  const [area] = await listedAreas(form);
  await form.getByRole('checkbox', { name: /Keep the original on this device only/ }).check();
  await form.getByRole('button', { name: 'Apply redaction' }).click();
  await expect(form.getByText('Redacted (1 areas)').first()).toBeVisible();

  const kept = (await storeRows(extension, 'keyValue')).find((r) => String((r as { key: string }).key).startsWith('redaction.original:')) as
    { value: { artifacts: Array<{ name: string; sha256: string }> } } | undefined;
  expect(kept?.value.artifacts.find((a) => a.name === 'viewport.png')?.sha256).toBe(before!.sha256);

  await submitReport(form, { category: 'Cyberviolence' });
  const stored = await receiver.waitForReport();
  expect(stored.evidenceCheck?.ok).toBe(true);
  expect(JSON.stringify(stored.report)).not.toContain(before!.sha256);
  const viewport = stored.report.evidence!.artifacts.find((a) => a.name === 'viewport.png')!;
  expect(await colourShare(bytes(viewport.dataBase64), area!, [0, 0, 0], 0)).toBe(1);
});
