// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsApp } from '@/entrypoints/options/OptionsApp';
import { PopupApp } from '@/entrypoints/popup/PopupApp';
import { reportConnection } from '@/entrypoints/report/connect';
import { ReportApp } from '@/entrypoints/report/ReportApp';
import { createDraftStore } from '@/utils/drafts';
import type { SendRaw } from '@/utils/messaging';
import type { StorageChangedEvent } from '@/utils/policy';
import { loadUserSettings, DEFAULT_SETTINGS } from '@/utils/settings';
import { freshDb, popupStateReply } from './helpers';

/** The popup asks the background again this often (ms); the real one every second. */
const TEST_POLL_MS = 50;

afterEach(cleanup);

/** A managed storage area whose policy a test can change, firing onChanged like the browser. */
function managedArea(initial: Record<string, unknown>) {
  let value = initial;
  const listeners = new Set<(changes: Record<string, unknown>, area: string) => void>();
  const changes: StorageChangedEvent = { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) };
  return {
    source: { read: async () => value, changes },
    set(next: Record<string, unknown>) {
      value = next;
      for (const l of listeners) l({}, 'managed');
    },
  };
}

/** Picks the school's own category, types an explanation, confirms good faith and submits. */
function fillAndSubmit() {
  fireEvent.click(screen.getByRole('radio', { name: 'Bullying at school' }));
  fireEvent.input(screen.getByRole('textbox', { name: 'Explanation' }), { target: { value: 'kept text' } });
  fireEvent.click(screen.getByRole('checkbox', { name: /good faith/ }));
  fireEvent.click(screen.getByRole('button', { name: 'Submit report' }));
}

const POLICY = {
  endpointUrl: 'https://reports.school.example/v1',
  accessToken: 'school-secret',
  organizationName: 'Example School',
  supportUrl: 'https://help.school.example/',
  batchSize: 'lots',
  requireReporterIdentity: true,
  categories: { builtIn: [{ id: 'rumor' }], custom: [{ id: 'bullying', label: { en: 'Bullying at school', zh_CN: '校园欺凌' } }] },
};

describe('settings page under a policy', () => {
  it('shows fixed settings read-only with "Set by <org>", hides a fixed token, lists ignored keys for the admin, and follows policy changes', async () => {
    const db = freshDb();
    const managed = managedArea(POLICY);
    render(
      <OptionsApp
        db={db}
        policySource={managed.source}
        fetch={vi.fn()}
        send={async () => ({ ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } })}
        permissions={{ request: vi.fn(async () => false), contains: vi.fn(async () => false) }}
      />,
    );
    const endpoint = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Endpoint URL' });
    expect(endpoint.value).toBe('https://reports.school.example/v1');
    expect(endpoint.readOnly).toBe(true);
    expect(endpoint.getAttribute('aria-describedby')).toContain('endpoint-fixed');
    expect(document.getElementById('endpoint-fixed')?.textContent).toBe('Set by Example School');
    const token = screen.getByLabelText<HTMLInputElement>('Access token');
    expect(token.readOnly).toBe(true);
    expect(token.value).not.toContain('school-secret');
    expect(screen.getByRole('heading', { name: 'Managed by Example School' })).toBeTruthy();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('For your IT administrator');
    expect(alert.textContent).toContain('batchSize');
    // Invalid batchSize is ignored: the field stays the user's to edit.
    expect(screen.getByRole<HTMLInputElement>('spinbutton', { name: 'Reports per request' }).readOnly).toBe(false);
    expect(screen.getAllByText('(required by your organization)', { exact: false })).toHaveLength(2);

    // Saving sends only what is not fixed.
    fireEvent.input(screen.getByRole('textbox', { name: /Your name/ }), { target: { value: 'Li Lei' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(await loadUserSettings(db)).toEqual({ ...DEFAULT_SETTINGS, reporterName: 'Li Lei' });

    // The administrator changes the policy while the page is open.
    managed.set({ organizationName: 'New District' });
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Managed by New District' })).toBeTruthy());
    const freed = screen.getByRole<HTMLInputElement>('textbox', { name: 'Endpoint URL' });
    expect(freed.readOnly).toBe(false);
    expect(freed.value).toBe(DEFAULT_SETTINGS.endpointUrl);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('popup under a policy', () => {
  it('shows the organisation and its help link, offers the custom category, and refuses to submit without reporter identity (draft kept)', async () => {
    const db = freshDb();
    const managed = managedArea(POLICY);
    const sent: string[] = [];
    const send: SendRaw = async (message) => {
      const { type } = message as { type: string };
      sent.push(type);
      if (type === 'describeTab') return { ok: true, data: { reportable: true, tabId: 7, url: 'https://forum.example/t/1', title: 'T' } };
      if (type === 'popupState') return popupStateReply(db, undefined, managed.source.read);
      if (type === 'flushOutbox') return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
      return { ok: true, data: { id: '0b6f3b7e-7d2c-4d8a-9a51-5a8c8f0e2a11', status: 'waiting' } };
    };
    render(<PopupApp tabId={7} send={send} drafts={createDraftStore(fakeBrowser.storage.session)} openSettings={vi.fn()} pollMs={TEST_POLL_MS} />);
    expect(await screen.findByText('Set up by Example School')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Get help from your organization' }).getAttribute('href')).toBe('https://help.school.example/');
    expect(screen.queryByRole('radio', { name: 'Cyberviolence' })).toBeNull();
    fillAndSubmit();
    expect((await screen.findByRole('alert')).textContent).toMatch(/asks for your name and contact/);
    expect(sent).not.toContain('submitReport');
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Explanation' }).value).toBe('kept text');

    managed.set({ ...POLICY, organizationName: 'Example School 2', requireReporterIdentity: false });
    // The popup asks the background again while it is open.
    await waitFor(() => expect(screen.queryByText('Set up by Example School 2')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Submit report' }));
    await waitFor(() => expect(sent).toContain('submitReport'));
  });
});

describe('the explanation: optional unless the policy requires it', () => {
  it('submits without one by default; under requireExplanation asks for one (blanks are not one) and says it is required', async () => {
    for (const required of [false, true]) {
      cleanup();
      const db = freshDb();
      const managed = managedArea(required ? { requireExplanation: true } : {});
      const sent: string[] = [];
      const send: SendRaw = async (message) => {
        const { type } = message as { type: string };
        sent.push(type);
        if (type === 'describeTab') return { ok: true, data: { reportable: true, tabId: 7, url: 'https://forum.example/t/1', title: 'T' } };
        if (type === 'popupState') return popupStateReply(db, undefined, managed.source.read);
        if (type === 'flushOutbox') return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
        return { ok: true, data: { id: '0b6f3b7e-7d2c-4d8a-9a51-5a8c8f0e2a11', status: 'waiting' } };
      };
      render(<PopupApp tabId={7} send={send} drafts={createDraftStore(fakeBrowser.storage.session)} openSettings={vi.fn()} pollMs={TEST_POLL_MS} />);
      fireEvent.click(await screen.findByRole('radio', { name: 'Rumor' }));
      fireEvent.input(screen.getByRole('textbox', { name: 'Explanation' }), { target: { value: '   ' } });
      fireEvent.click(screen.getByRole('checkbox', { name: /good faith/ }));
      fireEvent.click(screen.getByRole('button', { name: 'Submit report' }));
      if (!required) {
        await waitFor(() => expect(sent).toContain('submitReport'));
        expect(screen.queryByText(/Required by your organisation/)).toBeNull();
        continue;
      }
      expect(screen.getByRole('textbox', { name: 'Explanation' }).getAttribute('aria-required')).toBe('true');
      expect(screen.getByText(/Required by your organisation/)).toBeTruthy();
      expect(await screen.findByText(/asks for an explanation with every report/)).toBeTruthy();
      expect(sent).not.toContain('submitReport');
      fireEvent.input(screen.getByRole('textbox', { name: 'Explanation' }), { target: { value: '造谣' } });
      fireEvent.click(screen.getByRole('button', { name: 'Submit report' }));
      await waitFor(() => expect(sent).toContain('submitReport'));
    }
  });
});

describe('report window under a policy', () => {
  it('refuses to submit without reporter identity, with the same translated message as the popup (it used to send and get "malformed request")', async () => {
    const db = freshDb();
    const captureId = '3f0c4d1e-2b7a-4c9e-8f61-0d2e5a7b9c10';
    await db.captures.add({
      id: captureId,
      tabId: 7,
      createdAt: Date.now(),
      target: { kind: 'page', url: 'https://forum.example/t/1', title: 'T' },
      metadataOnly: false,
      unavailable: [],
    });
    const managed = managedArea(POLICY);
    const sent: string[] = [];
    const send: SendRaw = async (message) => {
      sent.push((message as { type: string }).type);
      return { ok: false, error: { code: 'invalid_message', detail: 'reporter identity required by policy' } };
    };
    const store = new Map<string, unknown>();
    const session = {
      get: async (key: string) => (store.has(key) ? { [key]: store.get(key) } : {}),
      set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => store.set(k, v)),
      remove: async (key: string) => void store.delete(key),
    };
    render(<ReportApp captureId={captureId} send={send} session={session} close={vi.fn()} connect={async () => reportConnection(db, managed.source)} />);
    await screen.findByRole('radio', { name: 'Bullying at school' });
    fillAndSubmit();
    expect((await screen.findByRole('alert')).textContent).toMatch(/asks for your name and contact/);
    expect(sent).not.toContain('submitReport');
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Explanation' }).value).toBe('kept text');
  });
});
