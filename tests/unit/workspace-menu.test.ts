import { describe, expect, it, vi } from 'vitest';
import { translate } from '@/utils/i18n';
import { createWorkspaceMenu, listenForWorkspaceMenu, WORKSPACE_MENU_ID, type MenuApi } from '@/utils/workspace/menu';

describe('workspace entry in the action menu', () => {
  it('adds "Open workspace" to the toolbar button menu and opens the workspace page on click', async () => {
    let listener: ((info: { menuItemId: string | number }) => void) | undefined;
    const api: MenuApi = {
      contextMenus: { create: vi.fn(), onClicked: { addListener: (l) => (listener = l) } },
      tabs: { create: vi.fn(async () => ({})) },
      runtime: { getURL: (path) => `chrome-extension://abc${path}` },
    };
    createWorkspaceMenu(api, translate);
    expect(api.contextMenus.create).toHaveBeenCalledWith({ id: WORKSPACE_MENU_ID, title: 'Open workspace', contexts: ['action'] });
    listenForWorkspaceMenu(api);
    listener?.({ menuItemId: 'something-else' });
    expect(api.tabs.create).not.toHaveBeenCalled();
    listener?.({ menuItemId: WORKSPACE_MENU_ID });
    expect(api.tabs.create).toHaveBeenCalledWith({ url: 'chrome-extension://abc/workspace.html' });
  });
});
