import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { startReceiver, type Receiver } from '../support/receiver';
import { ExtensionHarness, PRODUCTION_BUILD, submitReport } from './support/extension';
import { expect, test as base } from './support/fixtures';
import { POLICY_CHROMIUM, policyChromiumAvailable, preparePolicyBrowser, type PolicyBrowserSetup } from './support/policy';

/**
 * School deployment with a real Chromium managed policy: a file in /etc/chromium/policies/managed
 * written before launch (only `3rdparty.extensions.<this test's extension id>`), removed after.
 */
const test = base.extend<{ managed: { launch(policy: Record<string, unknown>): Promise<{ extension: ExtensionHarness; setup: PolicyBrowserSetup }> } }>({
  managed: async ({}, use) => {
    const opened: Array<{ extension?: ExtensionHarness; setup: PolicyBrowserSetup }> = [];
    try {
      await use({
        async launch(policy) {
          const entry: { extension?: ExtensionHarness; setup: PolicyBrowserSetup } = { setup: preparePolicyBrowser(policy) };
          opened.push(entry);
          entry.extension = await ExtensionHarness.launch({ extensionDir: entry.setup.extensionDir, executablePath: POLICY_CHROMIUM });
          // The id we wrote the policy for is the one Chromium gave the extension.
          expect(entry.extension.id).toBe(entry.setup.extensionId);
          return { extension: entry.extension, setup: entry.setup };
        },
      });
    } finally {
      for (const entry of opened) {
        await entry.extension?.close().catch(() => undefined);
        entry.setup.remove();
      }
    }
  },
});

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

test.skip(!policyChromiumAvailable(), `needs Debian's Chromium at ${POLICY_CHROMIUM} (it reads /etc/chromium/policies/managed)`);

/** Asks Chromium to re-read policy files now, as an administrator's push would. */
async function reloadPolicies(extension: ExtensionHarness) {
  const page = await extension.context.newPage();
  await page.goto('chrome://policy');
  await page.getByRole('button', { name: 'Reload policies' }).click();
  await page.close();
}

test.describe('managed policy (Chromium policy file)', () => {
  let receiver: Receiver;
  test.beforeEach(async () => {
    receiver = await startReceiver({ token: 'riverside-token-e2e' });
  });
  test.afterEach(async () => {
    await receiver.close();
  });

  test('the policy endpoint and token are used for delivery, shown locked, the popup names the school, and a new policy applies without restart', async ({
    managed,
    site,
  }) => {
    const { extension, setup } = await managed.launch({
      endpointUrl: receiver.endpoint,
      accessToken: 'riverside-token-e2e',
      organizationName: 'Riverside School',
      supportUrl: 'https://help.riverside.example/flagline',
    });

    const options = await extension.openOptions();
    const endpoint = options.getByRole('textbox', { name: 'Endpoint URL' });
    await expect(endpoint).toHaveValue(receiver.endpoint);
    await expect(endpoint).toHaveAttribute('readonly', '');
    await expect(endpoint).toHaveAccessibleDescription(/Set by Riverside School/);
    const token = options.getByLabel('Access token', { exact: true });
    await expect(token).toHaveAttribute('readonly', '');
    await expect(token).not.toHaveValue('riverside-token-e2e');
    await expect(options.getByRole('heading', { name: 'Managed by Riverside School' })).toBeVisible();
    await expect(options.getByRole('alert')).toHaveCount(0);
    // A locked field can't be edited, and saving keeps the school's endpoint.
    await expect(endpoint).not.toBeEditable();
    await endpoint.focus();
    await options.keyboard.type('x');
    await options.getByRole('button', { name: 'Save settings' }).click();
    await expect(options.getByText('Settings saved.')).toBeVisible();
    await expect(endpoint).toHaveValue(receiver.endpoint);

    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html?case=policy`);
    const popup = await extension.openPopup(page);
    await expect(popup.getByText('Set up by Riverside School')).toBeVisible();
    await expect(popup.getByRole('link', { name: 'Get help from your organization' })).toHaveAttribute('href', 'https://help.riverside.example/flagline');
    await submitReport(popup, { category: 'Rumor' });
    const stored = await receiver.waitForReport();
    expect(stored.report.target.url).toBe(`${site.url}/article.html?case=policy`);
    expect(receiver.requests.find((r) => r.reportIds.includes(stored.id))?.authorization).toBe('Bearer riverside-token-e2e');

    // The administrator changes the policy while the browser runs.
    setup.write({ endpointUrl: receiver.endpoint, accessToken: 'riverside-token-e2e', organizationName: 'Riverside District' });
    await reloadPolicies(extension);
    await expect(options.getByRole('heading', { name: 'Managed by Riverside District' })).toBeVisible();
    await expect(endpoint).toHaveAccessibleDescription(/Set by Riverside District/);
    await expect(popup.getByText('Set up by Riverside District')).toBeVisible();
    await expect(popup.getByRole('link', { name: 'Get help from your organization' })).toHaveCount(0);
  });

  test('an invalid policy value is ignored with a visible message for the administrator; the rest applies', async ({ managed }) => {
    // Both values pass Chromium's type check (a string, an integer) but not Flagline's rules.
    const { extension } = await managed.launch({
      endpointUrl: 'http://reports.hill-school.example/v1',
      batchSize: 0,
      organizationName: 'Hill School',
      locked: ['allowScreenshots'],
    });
    const options = await extension.openOptions();
    const problems = options.getByRole('alert');
    await expect(problems).toContainText('For your IT administrator: some policy settings were ignored');
    await expect(problems).toContainText('endpointUrl');
    await expect(problems).toContainText('The address must start with https://');
    await expect(problems).toContainText('batchSize');
    await expect(options.getByRole('heading', { name: 'Managed by Hill School' })).toBeVisible();
    // The ignored endpoint is not used: the field stays the user's own, editable.
    const endpoint = options.getByRole('textbox', { name: 'Endpoint URL' });
    await expect(endpoint).not.toHaveAttribute('readonly', '');
    await expect(endpoint).not.toHaveValue('http://reports.hill-school.example/v1');
    // `locked` fixes a setting the policy does not set, at its default.
    const screenshots = options.getByRole('checkbox', { name: 'Allow screenshots as evidence' });
    await expect(screenshots).toBeDisabled();
    await expect(screenshots).toBeChecked();
    await expect(screenshots).toHaveAccessibleDescription('Set by Hill School');
    expect((await new AxeBuilder({ page: options }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
  });

  test('a provisioning file previews, applies what the policy leaves free, and a corrupted one changes nothing', async ({ managed, site }) => {
    const { extension } = await managed.launch({ organizationName: 'Lake School', locked: ['allowScreenshots'] });
    const options = await extension.openOptions();
    const endpoint = options.getByRole('textbox', { name: 'Endpoint URL' });
    const before = await endpoint.inputValue();

    // A corrupted file: clear error, nothing changed.
    const fileInput = options.getByLabel('Configuration file', { exact: true });
    await fileInput.setInputFiles({
      name: 'flagline.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"flaglineProvisioning": 1, "settings": {"endpointUrl": "https://x.example/"'),
    });
    await expect(options.getByRole('alert')).toHaveText(/not a Flagline configuration file \(it is not valid JSON\)\. Nothing was changed\./);
    await expect(options.getByRole('button', { name: 'Apply' })).toHaveCount(0);
    // An invalid value in an otherwise well-formed file.
    await fileInput.setInputFiles({
      name: 'flagline.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ flaglineProvisioning: 1, settings: { endpointUrl: 'http://lake.example/r', reporterName: 'X' } })),
    });
    await expect(options.getByRole('alert')).toContainText('invalid value for “Endpoint URL”');
    const reopened = await extension.openOptions();
    await expect(reopened.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(before);
    await reopened.close();

    // A valid file from a link: preview first, then Apply.
    await options.getByRole('textbox', { name: 'Configuration link' }).fill(`${site.url}/flagline-provisioning.json`);
    await options.getByRole('button', { name: 'Load from link' }).click();
    const table = options.getByRole('table', { name: 'Configuration from Lake School would change:' });
    await expect(table).toBeVisible();
    await expect(table.getByRole('row', { name: /Endpoint URL/ })).toContainText('https://reports.lake-school.example/v1/reports');
    await expect(table.getByRole('row', { name: /Access token/ })).toContainText('••••••••');
    await expect(table).not.toContainText('lake-token-from-link');
    await expect(table.getByRole('row', { name: /Allow screenshots/ })).toContainText('Kept: Set by Lake School');
    expect((await new AxeBuilder({ page: options }).withTags(WCAG_TAGS).analyze()).violations).toEqual([]);
    // Cancel changes nothing.
    await options.getByRole('button', { name: 'Cancel' }).click();
    await expect(options.getByText('Import cancelled. Nothing was changed.')).toBeVisible();
    await expect(endpoint).toHaveValue(before);

    const file = readFileSync('tests/fixtures/flagline-provisioning.json');
    await fileInput.setInputFiles({ name: 'flagline-provisioning.json', mimeType: 'application/json', buffer: file });
    await expect(table).toBeVisible();
    await options.getByRole('button', { name: 'Apply' }).click();
    await expect(options.getByText('Configuration imported. Settings saved.')).toBeVisible();
    await expect(endpoint).toHaveValue('https://reports.lake-school.example/v1/reports');
    await expect(options.getByRole('textbox', { name: /How to contact you/ })).toHaveValue('office@lake-school.example');
    // Set, not locked: the user can still change it; the locked one kept its default.
    await expect(endpoint).not.toHaveAttribute('readonly', '');
    await expect(options.getByRole('checkbox', { name: 'Allow screenshots as evidence' })).toBeChecked();
    const again = await extension.openOptions();
    await expect(again.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue('https://reports.lake-school.example/v1/reports');
  });
});

test('the production manifest declares the managed schema, and the schema ships with it', () => {
  const dir = PRODUCTION_BUILD;
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));
  expect(manifest.storage).toEqual({ managed_schema: 'managed_schema.json' });
  expect(JSON.parse(readFileSync(`${dir}/managed_schema.json`, 'utf8'))).toEqual(JSON.parse(readFileSync('public/managed_schema.json', 'utf8')));
});
