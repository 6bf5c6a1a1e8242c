import type { MessageKey } from '../i18n';
import type { CaptureInput } from '../evidence/capture';
import { capText } from './describe';

/**
 * Context-menu ways in (DESIGN.md UI contract): report the page, the selected text, a link or an
 * image — a link or image is reported from the menu's info, without opening it. A menu click
 * grants `activeTab` for the tab, which is what the screenshot needs.
 */
export const CONTEXT_MENU_ITEMS = [
  { id: 'flagline-report-page', title: 'picker_menuPage', contexts: ['page', 'frame'] },
  { id: 'flagline-report-selection', title: 'picker_menuSelection', contexts: ['selection'] },
  { id: 'flagline-report-link', title: 'picker_menuLink', contexts: ['link'] },
  { id: 'flagline-report-image', title: 'picker_menuImage', contexts: ['image'] },
] as const satisfies ReadonlyArray<{ id: string; title: MessageKey; contexts: string[] }>;

/** The part of `contextMenus.OnClickData` we read. */
export interface MenuClick {
  menuItemId: string | number;
  pageUrl?: string;
  frameUrl?: string;
  linkUrl?: string;
  srcUrl?: string;
  selectionText?: string;
  mediaType?: string;
}

const webUrl = (url?: string) => (url && URL.canParse(url) && /^(https?|file):$/.test(new URL(url).protocol) ? url : undefined);

/** What to capture for a menu click; undefined for an id that is not ours. */
export function captureInputForMenu(click: MenuClick, capturedAt: string): CaptureInput | undefined {
  const frameUrl = click.frameUrl && click.frameUrl !== click.pageUrl ? webUrl(click.frameUrl) : undefined;
  const common = { capturedAt, ...(frameUrl ? { frameUrl } : {}) };
  switch (click.menuItemId) {
    case 'flagline-report-page':
      return { target: { kind: 'page', ...common } };
    case 'flagline-report-selection': {
      const { text, truncated } = capText(click.selectionText ?? '');
      return { target: { kind: 'selection', text, textTruncated: truncated, ...common }, text: text || undefined };
    }
    case 'flagline-report-link': {
      const linkUrl = webUrl(click.linkUrl);
      return { target: { kind: 'link', ...(linkUrl ? { linkUrl, links: [linkUrl] } : {}), ...common } };
    }
    case 'flagline-report-image': {
      const srcUrl = webUrl(click.srcUrl);
      return { target: { kind: 'image', ...(srcUrl ? { srcUrl, media: [{ type: 'image' as const, url: srcUrl }] } : {}), ...common } };
    }
  }
  return undefined;
}

/** The keyboard command that starts the picker (user-changeable at chrome://extensions/shortcuts). */
export const START_PICKER_COMMAND = 'start-picker';
