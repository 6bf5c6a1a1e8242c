import { describe, expect, it, vi } from 'vitest';
import { FlaglineError } from '@/utils/errors';
import { createMessageListener, sendMessage, type HandlerMap, type MessageSender } from '@/utils/messaging';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;
const popupSender: MessageSender = { id: ID, url: `${ORIGIN}popup.html?tabId=3` };

function handlers(overrides: Partial<HandlerMap> = {}): HandlerMap {
  return {
    describeTab: vi.fn(async ({ tabId }) => ({ reportable: true as const, tabId, url: 'https://a.example/', title: 'A' })),
    submitReport: vi.fn(async () => ({ id: '6f1c3c8e-2b1a-4c51-9a43-1d0f7f6c9e21', status: 'waiting' as const })),
    flushOutbox: vi.fn(async () => ({ attempted: 0, sent: 0, failed: 0, retrying: 0 })),
    popupState: vi.fn(async () => ({
      settings: {},
      policy: { values: {}, problems: [] },
      outbox: { counts: { waiting: 0, sent: 0, failed: 0 }, recent: [], paused: false },
    })),
    retryReport: vi.fn(async ({ id }) => ({ id, status: 'waiting' as const })),
    refreshStatus: vi.fn(async () => ({ asked: 0, changed: 0 })),
    startPicker: vi.fn(async () => ({ started: true as const })),
    pickerCapture: vi.fn(async () => ({ captureId: '6f1c3c8e-2b1a-4c51-9a43-1d0f7f6c9e21' })),
    pickerCancelled: vi.fn(async () => ({})),
    ...overrides,
  };
}

const listen = (map = handlers()) => createMessageListener(map, { extensionId: ID, extensionOrigin: ORIGIN });

describe('message listener', () => {
  it('runs the handler for a valid message from an extension page', async () => {
    const map = handlers();
    const reply = await listen(map)({ type: 'describeTab', payload: { tabId: 3 } }, popupSender);
    expect(reply).toEqual({ ok: true, data: { reportable: true, tabId: 3, url: 'https://a.example/', title: 'A' } });
    expect(map.describeTab).toHaveBeenCalledWith({ tabId: 3 }, popupSender);
  });

  it('applies request defaults from the schema', async () => {
    const map = handlers();
    await listen(map)({ type: 'flushOutbox', payload: {} }, popupSender);
    expect(map.flushOutbox).toHaveBeenCalledWith({ force: false }, popupSender);
  });

  it.each([
    ['not an object', 'hello'],
    ['unknown type', { type: 'deleteEverything', payload: {} }],
    ['bad payload', { type: 'describeTab', payload: { tabId: 'three' } }],
    ['missing payload fields', { type: 'submitReport', payload: { tabId: 1 } }],
    ['good faith not confirmed', { type: 'submitReport', payload: { tabId: 1, category: 'rumor', explanation: '', goodFaith: false } }],
  ])('refuses %s as invalid_message without running a handler', async (_, message) => {
    const map = handlers();
    const reply = await listen(map)(message, popupSender);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    for (const handler of Object.values(map)) expect(handler).not.toHaveBeenCalled();
  });

  it.each([
    ['a content script in a web page', { id: ID, url: 'https://evil.example/', tab: { id: 3 }, frameId: 0 }],
    ['another extension', { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/x.html' }],
    ['a sender without url', { id: ID }],
    ['a look-alike origin', { id: ID, url: `chrome-extension://${ID}.evil.example/` }],
  ])('refuses page-only messages from %s', async (_, sender) => {
    const map = handlers();
    const reply = await listen(map)({ type: 'submitReport', payload: { tabId: 1, category: 'rumor', explanation: '', goodFaith: true } }, sender);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(map.submitReport).not.toHaveBeenCalled();
  });

  it('passes typed errors through and validates what handlers answer', async () => {
    const failing = listen(handlers({ describeTab: async () => Promise.reject(new FlaglineError('tab_not_reportable', 'browser-page')) }));
    expect(await failing({ type: 'describeTab', payload: { tabId: 1 } }, popupSender)).toEqual({
      ok: false,
      error: { code: 'tab_not_reportable', detail: 'browser-page' },
    });
    const lying = listen(handlers({ describeTab: async () => ({ nonsense: true }) as never }));
    expect(await lying({ type: 'describeTab', payload: { tabId: 1 } }, popupSender)).toMatchObject({ ok: false, error: { code: 'unexpected' } });
  });
});

describe('sendMessage', () => {
  it('returns the validated data of a successful reply', async () => {
    const listener = listen();
    const result = await sendMessage((message) => listener(message, popupSender), 'describeTab', { tabId: 4 });
    expect(result).toEqual({ reportable: true, tabId: 4, url: 'https://a.example/', title: 'A' });
  });

  it('throws a typed error for an error reply', async () => {
    const listener = listen();
    await expect(sendMessage((message) => listener(message, { id: 'x' }), 'describeTab', { tabId: 4 })).rejects.toMatchObject({
      code: 'forbidden_sender',
    });
  });

  it('turns a missing background into no_connection', async () => {
    await expect(
      sendMessage(() => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')), 'flushOutbox', {}),
    ).rejects.toMatchObject({ code: 'no_connection' });
    await expect(sendMessage(async () => undefined, 'flushOutbox', {})).rejects.toMatchObject({ code: 'no_connection' });
  });
});

describe('picker senders', () => {
  const pickerSender: MessageSender = { id: ID, url: 'https://feed.example/', tab: { id: 4 }, frameId: 0, documentId: 'D' };
  it('picker messages come only from a content script in a tab frame, never from our pages or other extensions', async () => {
    const map = handlers();
    const message = { type: 'pickerCancelled', payload: { token: '6f1c3c8e-2b1a-4c51-9a43-1d0f7f6c9e21' } };
    expect(await listen(map)(message, pickerSender)).toEqual({ ok: true, data: {} });
    for (const sender of [
      popupSender,
      { ...pickerSender, id: 'other-extension' },
      { ...pickerSender, tab: undefined },
      { ...pickerSender, frameId: undefined },
    ]) {
      expect(await listen(map)(message, sender)).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    }
    // …and a page's content script may not start pickers or submit reports.
    expect(await listen(map)({ type: 'submitReport', payload: {} }, pickerSender)).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(map.pickerCancelled).toHaveBeenCalledTimes(1);
  });

  it('validates the pick payload: page URLs must be web URLs, text is capped', async () => {
    const map = handlers();
    const base = {
      token: '6f1c3c8e-2b1a-4c51-9a43-1d0f7f6c9e21',
      kind: 'element',
      selectors: [{ type: 'CssSelector', value: 'p' }],
      text: 'x',
      truncated: false,
      links: ['javascript:alert(1)'],
      media: [],
      box: { x: 0, y: 0, width: 1, height: 1 },
      viewport: { width: 10, height: 10 },
      devicePixelRatio: 1,
      pickedAt: 1,
    };
    expect(await listen(map)({ type: 'pickerCapture', payload: base }, pickerSender)).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    expect(await listen(map)({ type: 'pickerCapture', payload: { ...base, links: [], text: 'x'.repeat(10_001) } }, pickerSender)).toMatchObject({
      ok: false,
      error: { code: 'invalid_message' },
    });
    expect(await listen(map)({ type: 'pickerCapture', payload: { ...base, links: [] } }, pickerSender)).toMatchObject({ ok: true });
  });
});
