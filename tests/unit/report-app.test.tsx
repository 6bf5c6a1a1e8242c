// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportConnection } from '@/entrypoints/report/connect';
import { ReportApp } from '@/entrypoints/report/ReportApp';
import type { SendRaw } from '@/utils/messaging';
import { freshDb } from './helpers';

afterEach(cleanup);

const CAPTURE_ID = '3f0c4d1e-2b7a-4c9e-8f61-0d2e5a7b9c10';
const capture = {
  id: CAPTURE_ID,
  tabId: 7,
  createdAt: 1,
  target: { kind: 'page' as const, url: 'https://forum.example/t/1', title: 'T' },
  metadataOnly: false,
  unavailable: [],
};

function memorySession() {
  const store = new Map<string, unknown>();
  return {
    get: async (key: string) => (store.has(key) ? { [key]: store.get(key) } : {}),
    set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => store.set(k, v)),
    remove: async (key: string) => void store.delete(key),
  };
}

describe('the report window shows its form at once', () => {
  it('renders the categories and Submit report before the capture or the policy is read, and fills in the evidence as it arrives', async () => {
    const db = freshDb();
    // As the background leaves a first pick after a browser start: stored, its screenshot waiting for the policy.
    await db.captures.add({ ...capture, screenshotPending: true });
    await db.artifacts.add({
      captureId: CAPTURE_ID,
      name: 'text.txt',
      mediaType: 'text/plain;charset=utf-8',
      bytes: new TextEncoder().encode('x'),
      sha256: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881',
      size: 1,
      capturedAt: 1,
    });
    const policy = new Promise<Record<string, unknown>>(() => undefined);
    render(
      <ReportApp
        captureId={CAPTURE_ID}
        send={vi.fn()}
        session={memorySession()}
        close={vi.fn()}
        connect={async () => reportConnection(db, { read: () => policy })}
      />,
    );
    // The first render, before any read answered.
    expect(screen.getByRole('radio', { name: 'Rumor' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Submit report' })).toBeTruthy();
    expect(screen.getByText('Loading what you picked…')).toBeTruthy();
    expect(await screen.findByText('Evidence: 1 items, screenshot pending')).toBeTruthy();
    await db.captures.put({ ...capture, savedAt: 2 });
    expect(await screen.findByText('Evidence: 1 items, verified')).toBeTruthy();
  });

  it('a submit made before the policy is read (seconds after a browser start) waits for it, then is sent with what was chosen', async () => {
    const db = freshDb();
    await db.captures.add(capture);
    let answerPolicy!: (policy: Record<string, unknown>) => void;
    const policy = new Promise<Record<string, unknown>>((resolve) => (answerPolicy = resolve));
    const sent: unknown[] = [];
    const send: SendRaw = async (message) => {
      sent.push(message);
      return { ok: true, data: { id: '00000000-0000-4000-8000-000000000001', status: 'waiting' } };
    };
    render(
      <ReportApp
        captureId={CAPTURE_ID}
        send={send}
        session={memorySession()}
        close={vi.fn()}
        connect={async () => reportConnection(db, { read: () => policy })}
      />,
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Rumor' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /good faith/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Submit report' }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toEqual([]);
    expect(screen.getByRole('button', { name: 'Submit report' }).getAttribute('aria-disabled')).toBe('true');

    answerPolicy({});
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ type: 'submitReport', payload: { tabId: 7, category: 'rumor', goodFaith: true, captureId: CAPTURE_ID } });
  });
});
