import { companionSurface, type CompanionSurface } from '../browser-features';

/**
 * Opening the hand-off companion beside the page (issue 16): Chrome's side panel, Firefox's
 * sidebar, or a small extension window. Both panels open only in answer to a user gesture, so the
 * caller calls this straight from the click handler, before any `await`.
 */

/** The parts of the browser API the companion needs; unit tests pass fakes of either shape. */
export interface CompanionBrowser {
  sidePanel?: { setOptions(options: { path: string; enabled: boolean }): Promise<void>; open(options: { windowId: number }): Promise<void> };
  sidebarAction?: { setPanel(details: { panel: string }): Promise<void>; open(): Promise<void> };
  windows: { create(options: { type: 'popup'; url: string; width: number; height: number }): Promise<unknown> };
  runtime: { getURL(path: string): string };
}

/** The companion's page for these reports (in this order) and, when chosen, a channel. */
export function companionPath(reportIds: readonly string[], channelId?: string): string {
  const query = new URLSearchParams({ reports: reportIds.join(',') });
  if (channelId) query.set('channel', channelId);
  return `/handoff.html?${query.toString()}`;
}

export const COMPANION_WINDOW = { width: 440, height: 820 } as const;

/**
 * Opens the companion in the best surface the browser has and says which. `windowId` is the
 * window the side panel belongs to (the caller's own, read when its page loaded).
 */
export async function openCompanion(browser: CompanionBrowser, windowId: number | undefined, path: string): Promise<CompanionSurface> {
  const surface = companionSurface(browser);
  try {
    if (surface === 'side-panel' && browser.sidePanel && windowId !== undefined) {
      // Both calls are made in the gesture; the panel shows the path set just before.
      const set = browser.sidePanel.setOptions({ path: path.replace(/^\//, ''), enabled: true });
      const open = browser.sidePanel.open({ windowId });
      await Promise.all([set, open]);
      return 'side-panel';
    }
    if (surface === 'sidebar' && browser.sidebarAction) {
      const set = browser.sidebarAction.setPanel({ panel: browser.runtime.getURL(path) });
      const open = browser.sidebarAction.open();
      await Promise.all([set, open]);
      return 'sidebar';
    }
  } catch (error) {
    // A browser with the API but no panel to show (a headless one, a window without a side
    // panel area) refuses: the window below stands in.
    console.warn('Flagline could not open the side panel; using a window:', error);
  }
  await browser.windows.create({ type: 'popup', url: browser.runtime.getURL(path), ...COMPANION_WINDOW });
  return 'window';
}
