// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDraftStore } from '@/utils/drafts';
import { translate } from '@/utils/i18n';
import { countOutbox, lastDeliveryError, recentReports } from '@/utils/leases';
import type { SendRaw } from '@/utils/messaging';
import { EMPTY_DRAFT } from '@/utils/report-form';
import { usePopupState, usePopupTab } from '@/utils/ui/popup';
import { freshDb } from './helpers';

afterEach(cleanup);

const base = { createdAt: 1, updatedAt: 1, attempts: 1, nextAttemptAt: 1, report: {} };

describe('what the popup reads of the outbox', () => {
  it('counts each state the user sees (undelivered apart, acknowledged as sent), lists the newest first and finds the latest delivery error', async () => {
    const db = freshDb();
    await db.reports.bulkAdd([
      { ...base, id: 'a', status: 'waiting', updatedAt: 5, lastError: { kind: 'network', at: 5 } },
      { ...base, id: 'b', status: 'waiting', createdAt: 2 },
      { ...base, id: 'c', status: 'failed', updatedAt: 9, lastError: { kind: 'http', status: 400, at: 9 } },
      { ...base, id: 'd', status: 'undelivered', createdAt: 3 },
      { ...base, id: 'e', status: 'sent' },
    ] as never);
    await db.leases.add({
      id: 'l',
      owner: 'w',
      until: 2,
      reports: [{ id: 'b', revision: 1 }],
      firstCreatedAt: 1,
      lastCreatedAt: 1,
      acknowledged: { at: 3, endpoint: 'https://r.example/', results: [{ result: 'accepted' }] },
    } as never);
    expect(await countOutbox(db)).toEqual({ waiting: 1, sent: 2, failed: 1, undelivered: 1 });
    expect((await recentReports(db, 2)).map((r) => [r.id, r.status])).toEqual([
      ['d', 'undelivered'],
      ['b', 'sent'],
    ]);
    expect(await lastDeliveryError(db)).toEqual({ kind: 'http', status: 400, at: 9 });
  });
});

describe('usePopupTab', () => {
  function background(describe: () => unknown) {
    const sent: string[] = [];
    const send: SendRaw = async (message) => {
      const { type } = message as { type: string };
      sent.push(type);
      if (type === 'describeTab') return describe();
      return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
    };
    return { send, sent };
  }
  const drafts = () => createDraftStore(fakeBrowser.storage.session);

  it('without a tab the page is not reportable, and nothing is asked of the background', async () => {
    const { send, sent } = background(() => ({ ok: true, data: {} }));
    const { result } = renderHook(() => usePopupTab(undefined, send, drafts()));
    await waitFor(() => expect(result.current.tab).toEqual({ reportable: false, tabId: 0, reason: 'no-tab' }));
    expect(sent).toEqual([]);
  });

  it('a tab the background cannot describe gives the translated error; delivery is still started', async () => {
    const { send, sent } = background(() => ({ ok: false, error: { code: 'invalid_message', detail: '' } }));
    const { result } = renderHook(() => usePopupTab(7, send, drafts()));
    await waitFor(() => expect(result.current.loadError).toBe(translate('error_invalid_message')));
    expect(result.current.tab).toBeUndefined();
    expect(sent).toEqual(['describeTab', 'flushOutbox']);
  });

  it('brings back the draft saved for the tab, keeps each change, and forgets it after a submit', async () => {
    const store = drafts();
    const saved = { ...EMPTY_DRAFT, explanation: '已保存' };
    await store.save(7, saved);
    const tab = { reportable: true, tabId: 7, url: 'https://a.example/', title: 'A' };
    const { send } = background(() => ({ ok: true, data: tab }));
    const { result } = renderHook(() => usePopupTab(7, send, store));
    await waitFor(() => expect(result.current.tab).toEqual(tab));
    expect(result.current.draft).toEqual(saved);
    await act(() => result.current.update({ ...saved, explanation: '改过' }));
    await waitFor(async () => expect((await store.load(7)).explanation).toBe('改过'));
    await act(() => result.current.clear(7));
    expect(result.current.draft).toEqual(EMPTY_DRAFT);
    expect(await store.load(7)).toEqual(EMPTY_DRAFT);
  });
});

describe('usePopupState: the popup asks the background, never the database', () => {
  const state = (waiting: number) => ({
    ok: true,
    data: { settings: {}, policy: { values: {}, problems: [] }, outbox: { counts: { waiting, sent: 0, failed: 0 }, recent: [], paused: false } },
  });

  it('asks again while open, keeps the last answer through failed asks (a worker being restarted), and stops when closed', async () => {
    const failure = () => ({ ok: false, error: { code: 'no_connection', detail: 'worker stopped' } });
    const answers: Array<() => unknown> = [() => state(1), failure, failure, failure];
    const asked: unknown[] = [];
    let release!: () => void;
    const restarted = new Promise<void>((resolve) => (release = resolve));
    const send: SendRaw = async (message) => {
      asked.push(message);
      const next = answers.shift();
      if (next) return next();
      await restarted;
      return state(2);
    };
    const { result, unmount } = renderHook(() => usePopupState(send, undefined, 20));
    await waitFor(() => expect(asked.length).toBeGreaterThanOrEqual(5));
    expect(result.current.state?.outbox.counts.waiting).toBe(1);
    expect(asked.slice(0, 5)).toEqual(Array(5).fill({ type: 'popupState', payload: {} }));
    release();
    await waitFor(() => expect(result.current.state?.outbox.counts.waiting).toBe(2));
    unmount();
    const count = asked.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(asked.length).toBe(count);
  });

  it('names the report just submitted, and asks at once on refresh instead of waiting for the next round', async () => {
    const asked: unknown[] = [];
    const send: SendRaw = async (message) => (asked.push(message), state(0));
    const id = '0b6f3b7e-7d2c-4d8a-9a51-5a8c8f0e2a11';
    const { result } = renderHook(() => usePopupState(send, id, 60_000));
    await waitFor(() => expect(asked).toHaveLength(1));
    expect(asked[0]).toEqual({ type: 'popupState', payload: { submittedId: id } });
    await act(() => result.current.refresh());
    await waitFor(() => expect(asked).toHaveLength(2));
  });
});
