// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { GoodFaithSetting } from '@/components/GoodFaithSetting';
import { PopupApp } from '@/entrypoints/popup/PopupApp';
import { createHandlers } from '@/utils/background/handlers';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import { createDraftStore } from '@/utils/drafts';
import { createMessageListener, type SendRaw } from '@/utils/messaging';
import { EMPTY_POLICY, policyView, submitContext } from '@/utils/policy';
import { EMPTY_DRAFT, validateDraft } from '@/utils/report-form';
import { loadGoodFaith, rememberGoodFaith, withdrawGoodFaith } from '@/utils/settings';
import { isoWithOffset } from '@/utils/time';
import type { TabSource } from '@/utils/tabs';
import { freshDb, testClock } from './helpers';

afterEach(cleanup);

const context = (goodFaith?: { acceptedAt: string }) =>
  submitContext({
    settings: { reporterName: '', reporterContact: '' },
    policy: EMPTY_POLICY,
    view: policyView(EMPTY_POLICY),
    ...(goodFaith ? { goodFaith } : {}),
  });

describe('the good-faith statement, accepted once on this device', () => {
  it('needs the tick until it was accepted; then a draft without the tick is a valid report that still says goodFaith: true', () => {
    const draft = { ...EMPTY_DRAFT, category: 'rumor' };
    expect(validateDraft(draft, context(), 7)).toEqual({ ok: false, errors: { goodFaith: { key: 'error_goodFaith_required' } } });
    expect(context({ acceptedAt: '2026-12-06T08:00:00+08:00' }).goodFaithAccepted).toBe(true);
    expect(validateDraft(draft, context({ acceptedAt: '2026-12-06T08:00:00+08:00' }), 7)).toEqual({
      ok: true,
      request: { tabId: 7, category: 'rumor', explanation: '', goodFaith: true },
    });
  });

  it('keeps the first acceptance and its time until withdrawn; an unreadable row is no acceptance', async () => {
    const db = freshDb();
    expect(await loadGoodFaith(db)).toBeUndefined();
    await rememberGoodFaith(db, '2026-12-06T08:00:00+08:00');
    await rememberGoodFaith(db, '2026-12-07T09:00:00+08:00');
    expect(await loadGoodFaith(db)).toEqual({ acceptedAt: '2026-12-06T08:00:00+08:00' });
    await withdrawGoodFaith(db);
    expect(await loadGoodFaith(db)).toBeUndefined();
    await db.keyValue.put({ key: 'settings.goodFaith', value: { acceptedAt: 5 } });
    expect(await loadGoodFaith(db)).toBeUndefined();
  });
});

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;

/** The real handler map behind the real listener, as the popup's `send` reaches it. */
function background(db: FlaglineDB, clock = testClock()) {
  const tabs: TabSource = {
    get: async (tabId) => ({ id: tabId, url: 'https://forum.example/t/1', title: 'A thread' }),
    fileSchemeAllowed: async () => 'never',
  };
  let n = 0;
  const handlers = createHandlers({
    db,
    tabs,
    reportFactory: {
      clock,
      newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      categories: BUILT_IN_CATEGORIES,
      client: { version: '0', locale: 'en' },
    },
    flush: async () => ({ attempted: 0, sent: 0, failed: 0, retrying: 0 }),
  });
  const listener = createMessageListener(handlers, { extensionId: ID, extensionOrigin: ORIGIN });
  const sent: Array<{ type: string; payload: unknown }> = [];
  const send: SendRaw = async (message) => {
    sent.push(message as { type: string; payload: unknown });
    return listener(message, { id: ID, url: `${ORIGIN}popup.html` });
  };
  return { send, sent, clock };
}

describe('the popup: pick a category, submit — the statement ticked only the first time', () => {
  it('asks for the tick on the first report, remembers it with its time, and then submits in two actions with the statement shown beside Submit', async () => {
    const db = freshDb();
    const { send, sent, clock } = background(db);
    const drafts = createDraftStore(fakeBrowser.storage.session);
    render(<PopupApp tabId={7} send={send} drafts={drafts} openSettings={vi.fn()} pollMs={50} />);

    fireEvent.click(await screen.findByRole('radio', { name: 'Rumor' }));
    fireEvent.click(screen.getByRole('button', { name: 'Submit report' }));
    expect(await screen.findByText('Please confirm the good-faith statement before submitting.')).toBeTruthy();
    expect(sent.some((m) => m.type === 'submitReport')).toBe(false);
    fireEvent.click(screen.getByRole('checkbox', { name: /good faith/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Submit report' }));
    await screen.findByText(/Report saved/);
    expect(await loadGoodFaith(db)).toEqual({ acceptedAt: isoWithOffset(clock()) });
    const first = (await db.reports.toArray())[0]!;
    expect(first.report.goodFaith).toEqual({ accepted: true, at: isoWithOffset(clock()) });

    // The next popup: no checkbox, the statement as a line that describes Submit; category → Submit.
    cleanup();
    clock.advance(60_000);
    render(<PopupApp tabId={7} send={send} drafts={drafts} openSettings={vi.fn()} pollMs={50} />);
    fireEvent.click(await screen.findByRole('radio', { name: 'Cyberviolence' }));
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: /good faith/ })).toBeNull());
    const submit = screen.getByRole('button', { name: 'Submit report' });
    const statement = document.getElementById(submit.getAttribute('aria-describedby') ?? '');
    expect(statement?.textContent).toMatch(/By submitting you confirm.*good faith/);
    fireEvent.click(submit);
    await screen.findByText(/Report saved/);
    const second = (await db.reports.toArray()).find((record) => record.id !== first.id)!;
    expect(second.report.category).toBe('cyberviolence');
    expect(second.report.goodFaith).toEqual({ accepted: true, at: isoWithOffset(clock()) });
    // The acceptance keeps its first time.
    expect(await loadGoodFaith(db)).toEqual({ acceptedAt: first.report.goodFaith.at });

    // Withdrawn in Settings: the next report asks for the tick again.
    await withdrawGoodFaith(db);
    fireEvent.click(await screen.findByRole('button', { name: 'Report something else' }));
    expect(await screen.findByRole('checkbox', { name: /good faith/ })).toBeTruthy();
  });
});

describe('Settings: the standing statement', () => {
  it('says when it was accepted and withdraws it on request; without one, says the next report asks', () => {
    const withdraw = vi.fn();
    render(<GoodFaithSetting acceptedAt="2026-12-06T08:00:00+08:00" onWithdraw={withdraw} />);
    expect(screen.getByRole('region', { name: 'Good-faith statement' }).textContent).toMatch(/You accepted the good-faith statement on this device on /);
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw the statement' }));
    expect(withdraw).toHaveBeenCalledOnce();
    cleanup();
    render(<GoodFaithSetting acceptedAt={undefined} onWithdraw={withdraw} />);
    expect(screen.queryByRole('button', { name: 'Withdraw the statement' })).toBeNull();
    expect(screen.getByText(/Your next report asks you to tick/)).toBeTruthy();
  });
});
