import { expect, test } from './support/fixtures';
import { holdForReview, openWorkspace, reportPage, rows } from './support/workspace';

const HELD = /Saved for review/;

test.describe('workspace: hold for review and bulk submit', () => {
  test('held reports are not sent until Submit selected, then arrive at the receiver', async ({ extension, receiver, site }) => {
    await holdForReview(extension);
    await reportPage(extension, `${site.url}/article.html?case=held-1`, { category: 'Rumor', explanation: '第一条，稍后发送' }, HELD);
    await reportPage(extension, `${site.url}/article.html?case=held-2`, { category: 'Cyberviolence', explanation: 'second, "quoted"' }, HELD);

    // The popup opens the workspace.
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=open`);
    const popup = await extension.openPopup(page);
    const opened = extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Open workspace' }).click();
    const workspace = await opened;
    await expect(workspace).toHaveURL(extension.url('workspace.html'));
    await expect(rows(workspace)).toHaveCount(2);
    await expect(rows(workspace).filter({ hasText: 'Held for review' })).toHaveCount(2);
    expect(receiver.requests).toHaveLength(0);
    expect((await extension.records()).map((r) => r.status)).toEqual(['held', 'held']);

    await workspace.getByRole('checkbox', { name: 'Select all matching' }).check();
    await expect(workspace.getByText('2 selected')).toBeVisible();
    await workspace.getByRole('button', { name: 'Submit selected' }).click();
    await expect(workspace.getByText('2 reports queued for sending.')).toBeVisible();
    await expect.poll(() => receiver.reports().length).toBe(2);
    expect(
      receiver
        .reports()
        .map((r) => r.report.explanation)
        .sort(),
    ).toEqual(['second, "quoted"', '第一条，稍后发送'].sort());
    await expect(rows(workspace).filter({ hasText: 'Sent' })).toHaveCount(2);

    // The detail shows the ledger with the receiver's receipt, and a sent report is read-only.
    const receipt = receiver.reports().find((r) => r.report.explanation === '第一条，稍后发送')?.receipt as string;
    await rows(workspace)
      .filter({ hasText: '第一条' })
      .getByRole('button', { name: /^Details/ })
      .click();
    const detail = workspace.getByRole('region', { name: 'Report details' });
    await expect(detail.getByRole('cell', { name: receipt })).toBeVisible();
    await expect(detail.getByRole('cell', { name: 'accepted' })).toBeVisible();
    await expect(detail.getByText(/can no longer be changed/)).toBeVisible();
    await expect(detail.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  });

  test('filters, edits a held report, and deletes with undo', async ({ extension, site }) => {
    await holdForReview(extension);
    await reportPage(extension, `${site.url}/article.html?case=edit-1`, { category: 'Rumor', explanation: 'salt water rumor' }, HELD);
    await reportPage(extension, `${site.url}/article.html?case=edit-2`, { category: 'Harmful to minors', explanation: '赌博广告' }, HELD);
    const workspace = await openWorkspace(extension);
    await expect(rows(workspace)).toHaveCount(2);

    await workspace.getByRole('searchbox', { name: 'Search' }).fill('赌博');
    await expect(rows(workspace)).toHaveCount(1);
    await workspace.getByRole('searchbox', { name: 'Search' }).fill('');
    await workspace.getByRole('combobox', { name: 'Category', exact: true }).selectOption({ label: 'Rumor' });
    await expect(rows(workspace)).toHaveCount(1);
    await expect(rows(workspace)).toContainText('salt water rumor');

    await rows(workspace)
      .getByRole('button', { name: /^Details/ })
      .click();
    const detail = workspace.getByRole('region', { name: 'Report details' });
    await expect(detail.getByRole('heading', { name: 'Report details' })).toBeFocused();
    await detail.getByRole('textbox', { name: 'Explanation' }).fill('edited before sending，已修改');
    await detail.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Cyberviolence' });
    await detail.getByRole('button', { name: 'Save changes' }).click();
    await expect(detail.getByText('Changes saved.')).toBeVisible();
    const edited = (await extension.records()).find((r) => r.report.explanation === 'edited before sending，已修改');
    expect(edited?.report).toMatchObject({ category: 'cyberviolence', dsaCategory: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH' });
    await detail.getByRole('button', { name: 'Close details' }).click();

    await workspace.getByRole('combobox', { name: 'Category', exact: true }).selectOption({ label: 'All' });
    await expect(rows(workspace)).toHaveCount(2);
    await workspace.getByRole('checkbox', { name: 'Select all matching' }).check();
    await workspace.getByRole('button', { name: 'Delete' }).click();
    await expect(workspace.getByText('2 reports deleted.')).toBeVisible();
    await expect(rows(workspace)).toHaveCount(0);
    expect(await extension.records()).toHaveLength(0);
    await workspace.getByRole('button', { name: 'Undo' }).click();
    await expect(workspace.getByText('Restored 2 reports.')).toBeVisible();
    await expect(rows(workspace)).toHaveCount(2);
    expect((await extension.records()).map((r) => r.report.explanation).sort()).toEqual(['edited before sending，已修改', '赌博广告'].sort());
  });
});

test.describe('workspace: duplicates', () => {
  test('flags reports of the same page and category, and merges them before sending', async ({ extension, receiver, site }) => {
    await holdForReview(extension);
    const url = `${site.url}/article.html?case=dup&utm_source=wechat`;
    await reportPage(extension, url, { category: 'Rumor', explanation: '盐水谣言' }, HELD);
    await reportPage(extension, `${site.url}/article.html?case=dup#comments`, { category: 'Rumor', explanation: 'also spreading in groups' }, HELD);
    await reportPage(extension, `${site.url}/article.html?case=other`, { category: 'Rumor', explanation: 'different page' }, HELD);
    const workspace = await openWorkspace(extension);
    await expect(rows(workspace)).toHaveCount(3);
    await expect(rows(workspace).filter({ hasText: 'Possible duplicate' })).toHaveCount(2);
    await expect(rows(workspace).filter({ hasText: 'different page' })).not.toContainText('Possible duplicate');

    await workspace.getByRole('checkbox', { name: 'Select all matching' }).check();
    await workspace.getByRole('button', { name: 'Submit selected' }).click();
    const dialog = workspace.getByRole('dialog', { name: 'Possible duplicates' });
    await expect(dialog).toBeVisible();
    expect(receiver.requests).toHaveLength(0);
    // Keep the second report of the group, merging the first one's explanation into it.
    await dialog.getByRole('radio', { name: /also spreading in groups/ }).check();
    await dialog.getByRole('button', { name: 'Keep the chosen report and merge explanations' }).click();
    await expect(dialog).toBeHidden();

    await expect.poll(() => receiver.reports().length).toBe(2);
    const explanations = receiver.reports().map((r) => r.report.explanation);
    expect(explanations).toContain('different page');
    expect(explanations).toContain('also spreading in groups\n\n盐水谣言');
    expect(await extension.records()).toHaveLength(2);
  });
});
