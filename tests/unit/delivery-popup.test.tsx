// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PopupApp } from '@/entrypoints/popup/PopupApp';
import { createDraftStore } from '@/utils/drafts';
import type { SendRaw } from '@/utils/messaging';
import { PAUSE_KEY } from '@/utils/outbox';
import { pageDay, putPages } from '@/utils/status/book';
import { freshDb, popupStateReply, reportRecord } from './helpers';

/** The popup asks the background again this often (ms); the real one every second. */
const TEST_POLL_MS = 50;

afterEach(cleanup);

const record = reportRecord;

function renderPopup() {
  const db = freshDb();
  const sent: Array<{ type: string; payload: unknown }> = [];
  const send: SendRaw = async (message) => {
    const { type, payload } = message as { type: string; payload: { id?: string } };
    sent.push({ type, payload });
    if (type === 'describeTab') return { ok: true, data: { reportable: true, tabId: 7, url: 'https://a.example/', title: 'A' } };
    if (type === 'popupState') return popupStateReply(db, payload);
    if (type === 'flushOutbox') return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
    if (type === 'retryReport') return { ok: true, data: { id: payload.id, status: 'waiting' } };
    if (type === 'refreshStatus') return { ok: true, data: { asked: 0, changed: 0 } };
    return { ok: false, error: { code: 'invalid_message', detail: '' } };
  };
  render(<PopupApp tabId={7} send={send} drafts={createDraftStore(fakeBrowser.storage.session)} openSettings={vi.fn()} pollMs={TEST_POLL_MS} />);
  return { db, sent };
}

describe('popup: recent reports', () => {
  it('lists the last 10 reports, newest first, with state, receipt and last error as text', async () => {
    const { db } = renderPopup();
    await db.reports.bulkAdd([
      ...Array.from({ length: 9 }, (_, i) => record(i + 1, { status: 'sent', receipt: `FL-${i + 1}` })),
      record(20, { status: 'failed', lastError: { kind: 'rejected', detail: 'not our platform', at: 1 } }),
      record(21, { status: 'undelivered', lastError: { kind: 'expired', detail: '7', at: 1 } }),
      record(22, { status: 'waiting', lastError: { kind: 'cors', at: 1 } }),
    ]);
    const list = await screen.findByRole('region', { name: 'Recent reports' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(10));
    const items = within(list).getAllByRole('listitem');
    expect(items[0]?.textContent).toContain('<i>Post 22</i>');
    expect(items[0]?.textContent).toContain('Waiting');
    expect(items[0]?.textContent).toMatch(/does not let this extension send to it/);
    expect(items[1]?.textContent).toMatch(/Undelivered.*Not delivered within 7 days/);
    expect(items[2]?.textContent).toMatch(/Not accepted.*rejected the report: not our platform/);
    expect(items[3]?.textContent).toMatch(/Sent.*Receipt: FL-9/);
    expect(list.querySelector('i')).toBeNull();
    await waitFor(() => expect(document.querySelector('.counts [data-state="undelivered"] dd')?.textContent).toBe('1'));
  });

  it('retries one failed report with one click', async () => {
    const { db, sent } = renderPopup();
    const failed = record(5, { status: 'failed', lastError: { kind: 'http', status: 400, detail: 'bad', at: 1 } });
    await db.reports.add(failed);
    fireEvent.click(await screen.findByRole('button', { name: 'Retry report: <i>Post 5</i>' }));
    await waitFor(() => expect(sent).toContainEqual({ type: 'retryReport', payload: { id: failed.id } }));
  });

  it('shows what the channel made of a report, its public note as text, and asks for news of the reports shown', async () => {
    const { db, sent } = renderPopup();
    const closed = record(30, { status: 'sent', receipt: 'FL-30', sentAt: 2 });
    // One review as this device learnt it (the status book), one as an import brought it (in the record).
    const reviewing = record(31, { status: 'sent', review: { state: 'in_review', updatedAt: '2026-12-01T00:00:00Z', learntAt: 2 } });
    await putPages(db.statusPages, [
      {
        key: `${pageDay(2)}/0001`,
        entries: {
          [closed.id]: {
            url: 'https://desk.example/v1/reports/status',
            token: 'st_0123456789abcdef',
            createdAt: closed.createdAt,
            review: {
              state: 'closed',
              outcome: 'removed',
              publicNote: '<b>Gone</b> <script>alert(1)</script>',
              updatedAt: '2026-12-01T00:00:00Z',
              learntAt: 2,
            },
          },
        },
      },
    ]);
    await db.reports.bulkAdd([closed, reviewing]);
    const list = await screen.findByRole('region', { name: 'Recent reports' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first?.textContent).toContain('Being reviewed');
    expect(second?.textContent).toContain('Closed: removed');
    expect(second?.textContent).toContain('Note from the reviewers: <b>Gone</b> <script>alert(1)</script>');
    expect(list.querySelector('b, script')).toBeNull();
    await waitFor(() =>
      expect(sent.filter((m) => m.type === 'refreshStatus').at(-1)).toEqual({ type: 'refreshStatus', payload: { ids: [reviewing.id, closed.id] } }),
    );
  });

  it('says when the channel is paused by 410', async () => {
    const { db } = renderPopup();
    await db.keyValue.put({ key: PAUSE_KEY, value: { endpoint: 'https://r.example/', at: 1, status: 410 } });
    expect((await screen.findByText(/Sending is paused/)).getAttribute('role')).toBe('alert');
  });
});
