import type { Translate } from '../i18n';

export const WORKSPACE_MENU_ID = 'flagline-open-workspace';
export const WORKSPACE_PATH = '/workspace.html';

export interface MenuApi {
  contextMenus: {
    create(properties: { id: string; title: string; contexts: ['action'] }): unknown;
    onClicked: { addListener(listener: (info: { menuItemId: string | number }) => void): void };
  };
  tabs: { create(properties: { url: string }): Promise<unknown> };
  runtime: { getURL(path: string): string };
}

/** Menu items persist across worker restarts; they are (re)created on install and update. */
export function createWorkspaceMenu(api: MenuApi, t: Translate): void {
  api.contextMenus.create({ id: WORKSPACE_MENU_ID, title: t('workspace_open'), contexts: ['action'] });
}

/** The click listener must be added at every worker start, synchronously. */
export function listenForWorkspaceMenu(api: MenuApi): void {
  api.contextMenus.onClicked.addListener((info) => {
    if (info.menuItemId === WORKSPACE_MENU_ID) void openWorkspace(api);
  });
}

export function openWorkspace(api: Pick<MenuApi, 'tabs' | 'runtime'>): Promise<unknown> {
  return api.tabs.create({ url: api.runtime.getURL(WORKSPACE_PATH) });
}
