// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PopupApp } from '@/entrypoints/popup/PopupApp';
import { createDraftStore } from '@/utils/drafts';
import type { SendRaw } from '@/utils/messaging';
import { freshDb, popupStateReply } from './helpers';

afterEach(cleanup);

const TAB = { reportable: true, tabId: 7, url: 'https://a.example/', title: 'A' };

/**
 * The popup draws its first screen from the background's answers by their types, while the zod
 * checks load (utils/checks.ts); the same answers are checked right after.
 */
function renderPopup(answers: { tab?: (tab: typeof TAB) => unknown; state?: (data: Record<string, unknown>) => unknown } = {}) {
  const db = freshDb();
  const send: SendRaw = async (message) => {
    const { type, payload } = message as { type: string; payload: unknown };
    if (type === 'describeTab') return { ok: true, data: (answers.tab ?? ((tab) => tab))(TAB) };
    if (type === 'popupState') {
      const reply = await popupStateReply(db, payload);
      return { ok: true, data: (answers.state ?? ((data) => data))(reply.data) };
    }
    if (type === 'flushOutbox') return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
    return { ok: false, error: { code: 'invalid_message', detail: '' } };
  };
  render(<PopupApp tabId={7} send={send} drafts={createDraftStore(fakeBrowser.storage.session)} openSettings={vi.fn()} pollMs={60_000} />);
}

describe('popup: answers drawn first, checked right after', () => {
  it('shows the form from valid answers, and it stays once they are checked', async () => {
    renderPopup();
    expect(await screen.findByRole('button', { name: 'Submit report' })).toBeTruthy();
    // Let the checks load and run: a valid answer leaves the form in place, with no error.
    const { checkReply } = await import('@/utils/checks');
    expect(() => checkReply('describeTab', { ok: true, data: TAB })).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getByRole('button', { name: 'Submit report' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('replaces the form by the error when the popup state fails its check', async () => {
    renderPopup({ state: (data) => ({ ...data, settings: { ...(data.settings as object), endpointUrl: 'not a url' } }) });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/error_endpoint_invalid/);
    expect(screen.queryByRole('button', { name: 'Submit report' })).toBeNull();
  });

  it('replaces the form by the error when the tab description fails its check', async () => {
    renderPopup({ tab: (tab) => ({ ...tab, title: 'x'.repeat(2001) }) });
    await screen.findByRole('alert');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Submit report' })).toBeNull());
  });
});
