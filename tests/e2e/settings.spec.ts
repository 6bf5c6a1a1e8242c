import { expect, test } from './support/fixtures';

test.describe('settings page', () => {
  test('refuses an invalid endpoint with a clear error and keeps the saved one', async ({ extension, receiver }) => {
    const options = await extension.openOptions();
    const endpoint = options.getByRole('textbox', { name: 'Endpoint URL' });
    await expect(endpoint).toHaveValue(receiver.endpoint);

    await endpoint.fill('http://reports.example.org/v1/reports');
    await options.getByRole('button', { name: 'Save settings' }).click();
    await expect(options.getByText(/^The address must start with https:\/\//)).toBeVisible();
    await expect(options.getByRole('status')).toHaveText('Settings were not saved. Please fix the marked fields.');
    await expect(endpoint).toHaveAttribute('aria-invalid', 'true');
    await expect(endpoint).toBeFocused();
    await expect(endpoint).toHaveValue('http://reports.example.org/v1/reports');

    await endpoint.fill('not a url');
    await options.getByRole('button', { name: 'Save settings' }).click();
    await expect(options.getByText(/This is not a valid web address/)).toBeVisible();

    const reopened = await extension.openOptions();
    await expect(reopened.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(receiver.endpoint);
  });

  test('sends the access token as a Bearer token', async ({ extension, receiver, site }) => {
    await extension.setEndpoint(receiver.endpoint, 'school-token-123');
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=token`);
    const popup = await extension.openPopup(page);
    const { submitReport } = await import('./support/extension');
    await submitReport(popup, { category: 'Rumor' });
    await receiver.waitForReport();
    expect(receiver.requests[0]?.authorization).toBe('Bearer school-token-123');
    expect(receiver.requests[0]?.origin).toBe(`chrome-extension://${extension.id}`);
  });
});
