import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { E2E_BUILD, PRODUCTION_BUILD } from './support/extension';
import { E2E_CAPTURE_BUILD } from './support/picker';

const manifest = async (dir: string) => JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;

test.describe('least privilege', () => {
  test('the production manifest asks for no host access and injects nothing by itself', async () => {
    const production = await manifest(PRODUCTION_BUILD);
    expect(JSON.stringify(production)).not.toContain('<all_urls>');
    expect(production.host_permissions).toBeUndefined();
    // Only optional, requested on a click for exactly the endpoint's origin (utils/endpoint-access.ts).
    expect(production.optional_host_permissions).toEqual(['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*']);
    // Notifications of closed reports, asked for when the user turns them on in settings.
    expect(production.optional_permissions).toEqual(['notifications']);
    expect(production.content_scripts).toBeUndefined();
    expect(production.web_accessible_resources).toBeUndefined();
    expect(production.externally_connectable).toBeUndefined();
    // sidePanel holds the hand-off companion (issue 16); Chrome shows no install warning for it.
    expect([...(production.permissions as string[])].sort()).toEqual(['activeTab', 'alarms', 'contextMenus', 'scripting', 'sidePanel', 'storage']);
  });

  test('the picker starts from a command the user can change, with no key forced on them', async () => {
    const production = await manifest(PRODUCTION_BUILD);
    expect(production.commands).toEqual({
      'start-picker': { suggested_key: { default: 'Alt+Shift+R' }, description: '__MSG_picker_commandDescription__' },
    });
  });

  test('the capture test build differs from production only by the host access standing in for activeTab', async () => {
    const production = await manifest(PRODUCTION_BUILD);
    const { host_permissions: hostPermissions, ...rest } = await manifest(E2E_CAPTURE_BUILD);
    expect(hostPermissions).toEqual(['<all_urls>']);
    expect(rest).toEqual(production);
  });

  test('the e2e build differs from production only by loopback host access', async () => {
    const production = await manifest(PRODUCTION_BUILD);
    const { host_permissions: hostPermissions, ...rest } = await manifest(E2E_BUILD);
    expect(hostPermissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(rest).toEqual(production);
  });

  test('names and describes itself through i18n', async () => {
    const production = await manifest(PRODUCTION_BUILD);
    expect(production).toMatchObject({ name: '__MSG_extName__', description: '__MSG_extDescription__', default_locale: 'en' });
  });
});
