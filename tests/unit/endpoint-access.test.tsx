// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OptionsApp } from '@/entrypoints/options/OptionsApp';
import { corsBlocked, originPattern } from '@/utils/endpoint-access';
import type { SendRaw } from '@/utils/messaging';
import { DEFAULT_SETTINGS, loadEffectiveSettings, saveSettings } from '@/utils/settings';
import { freshDb } from './helpers';

afterEach(cleanup);

const ENDPOINT = 'https://reports.school.example/v1/reports';

async function renderOptions(options: { cors?: boolean; grant?: boolean } = {}) {
  const db = freshDb();
  await saveSettings(db, { endpointUrl: ENDPOINT });
  if (options.cors) {
    await db.reports.add({
      id: '00000000-0000-4000-8000-000000000001',
      status: 'waiting',
      createdAt: 1,
      updatedAt: 1,
      attempts: 1,
      nextAttemptAt: 1,
      endpoint: ENDPOINT,
      lastError: { kind: 'cors', at: 1 },
    } as never);
  }
  const sent: Array<{ type: string; payload: unknown }> = [];
  const send: SendRaw = async (message) => {
    sent.push(message as { type: string; payload: unknown });
    return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
  };
  const permissions = { request: vi.fn(async () => options.grant ?? true), contains: vi.fn(async () => false) };
  render(<OptionsApp db={db} policySource={{ read: async () => ({}) }} fetch={vi.fn()} send={send} permissions={permissions} />);
  return { db, sent, permissions };
}

describe('endpoint access', () => {
  it('asks for exactly the endpoint host, any port', () => {
    expect(originPattern('https://reports.school.example:8443/v1/reports?x=1')).toBe('https://reports.school.example/*');
    expect(originPattern('http://127.0.0.1:41234/v1/reports')).toBe('http://127.0.0.1/*');
  });

  it('explains a CORS refusal and requests host permission for that origin on click, then retries', async () => {
    const { permissions, sent } = await renderOptions({ cors: true });
    expect(await screen.findByText(/https:\/\/reports\.school\.example can be reached but does not allow this extension/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Allow access to https://reports.school.example' }));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://reports.school.example/*'] });
    expect(await screen.findByText('Access allowed. Waiting reports are being sent.')).toBeTruthy();
    await waitFor(() => expect(sent).toContainEqual({ type: 'flushOutbox', payload: { force: true } }));
  });

  it('says so when access is not allowed, and offers nothing when no report is blocked', async () => {
    await renderOptions({ cors: true, grant: false });
    fireEvent.click(await screen.findByRole('button', { name: /^Allow access to/ }));
    expect(await screen.findByText('Access was not allowed. Reports keep waiting.')).toBeTruthy();
    cleanup();
    const { db } = await renderOptions();
    await screen.findByRole('button', { name: 'Save settings' });
    expect(screen.queryByRole('button', { name: /^Allow access to/ })).toBeNull();
    expect(await corsBlocked(db, ENDPOINT)).toBe(false);
  });

  it('saves the signing secret with the other settings and resumes delivery after saving', async () => {
    const { db, sent } = await renderOptions();
    fireEvent.input(await screen.findByLabelText('Signing secret'), { target: { value: 'whsec_YW5vdGhlci1zZWNyZXQta2V5LTE2Kw==' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(await loadEffectiveSettings(db)).toEqual({ ...DEFAULT_SETTINGS, endpointUrl: ENDPOINT, signingSecret: 'whsec_YW5vdGhlci1zZWNyZXQta2V5LTE2Kw==' });
    expect(sent).toContainEqual({ type: 'flushOutbox', payload: { force: true } });
  });
});
