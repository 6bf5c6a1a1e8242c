import { describe, expect, it } from 'vitest';
import { describeTab, unreportableReason, type TabSource } from '@/utils/tabs';

describe('unreportableReason', () => {
  it.each([
    ['https://news.example.org/a', null],
    ['http://127.0.0.1:8000/feed', null],
    ['chrome://settings', 'browser-page'],
    ['edge://extensions', 'browser-page'],
    ['about:blank', 'browser-page'],
    ['chrome-extension://abc/popup.html', 'browser-page'],
    ['view-source:https://example.org', 'browser-page'],
    ['data:text/html,hi', 'browser-page'],
    ['https://chromewebstore.google.com/detail/x/abc', 'extension-store'],
    ['https://chrome.google.com/webstore/detail/abc', 'extension-store'],
    ['https://microsoftedge.microsoft.com/addons/detail/abc', 'extension-store'],
    ['https://addons.mozilla.org/en-US/firefox/addon/x/', 'extension-store'],
    ['https://chrome.google.com/search', null],
    [undefined, 'no-access'],
    ['', 'no-access'],
  ])('%s → %s', (url, expected) => {
    expect(unreportableReason(url, false)).toBe(expected);
  });

  it('reports local files only when the user allowed file access', () => {
    expect(unreportableReason('file:///home/a/page.html', false)).toBe('file-access');
    expect(unreportableReason('file:///home/a/page.html', true)).toBeNull();
  });

  it('says so when the browser offers no way to allow local files (Firefox)', () => {
    expect(unreportableReason('file:///home/a/page.html', 'never')).toBe('file-blocked');
    expect(unreportableReason('https://news.example.org/a', 'never')).toBeNull();
  });
});

describe('describeTab', () => {
  const source = (tab: { url?: string; title?: string } | Error): TabSource => ({
    get: async () => {
      if (tab instanceof Error) throw tab;
      return tab;
    },
    fileSchemeAllowed: async () => false,
  });

  it('uses the URL and title of the browser tab record', async () => {
    expect(await describeTab(source({ url: 'https://a.example/x', title: 'A page' }), 5)).toEqual({
      reportable: true,
      tabId: 5,
      url: 'https://a.example/x',
      title: 'A page',
    });
  });

  it('falls back to the URL when the tab has no title', async () => {
    expect(await describeTab(source({ url: 'https://a.example/x', title: '' }), 5)).toMatchObject({ title: 'https://a.example/x' });
  });

  it('says when the tab is gone or not reportable', async () => {
    expect(await describeTab(source(new Error('No tab with id: 9')), 9)).toEqual({ reportable: false, tabId: 9, reason: 'no-tab' });
    expect(await describeTab(source({ url: 'chrome://newtab/' }), 2)).toEqual({ reportable: false, tabId: 2, reason: 'browser-page' });
  });
});
