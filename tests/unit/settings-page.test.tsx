// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SendRaw } from '@/utils/messaging';
import { PROVISIONING_MAX_BYTES } from '@/utils/provisioning';
import { useSettingsPage } from '@/utils/ui/settings-page';
import { freshDb } from './helpers';

afterEach(cleanup);

function page() {
  const db = freshDb();
  const sent: unknown[] = [];
  const send: SendRaw = async (message) => {
    sent.push(message);
    return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
  };
  const permissions = { request: vi.fn(async () => true), contains: vi.fn(async () => false) };
  const hook = renderHook(() => useSettingsPage({ db, policySource: { read: async () => ({}) }, fetch: vi.fn(), send, permissions }));
  return { db, sent, permissions, ...hook };
}

const RETRY_ALL = { type: 'flushOutbox', payload: { force: true } };

describe('useSettingsPage', () => {
  it('a refused save retries nothing; a saved one resumes delivery and retries what failed', async () => {
    const { result, sent } = page();
    await waitFor(() => expect(result.current.state).toBeDefined());
    const refused = await result.current.save({ endpointUrl: 'not a url' });
    expect(refused.ok).toBe(false);
    expect(sent).toEqual([]);
    expect((await result.current.save({ endpointUrl: 'https://reports.school.example/v1' })).ok).toBe(true);
    await waitFor(() => expect(sent).toEqual([RETRY_ALL]));
  });

  it('refuses a provisioning file over the size limit without reading it', async () => {
    const { result } = page();
    const text = vi.fn(async () => '{}');
    const file = { size: PROVISIONING_MAX_BYTES + 1, text } as unknown as File;
    expect(await result.current.readFile(file)).toEqual({ ok: false, error: { key: 'policy_provision_error_tooLarge' } });
    expect(text).not.toHaveBeenCalled();
  });

  it('applying a file starts the form again from the stored values, and retries what failed', async () => {
    const { result, sent } = page();
    await waitFor(() => expect(result.current.state).toBeDefined());
    const parsed = await result.current.readFile(
      new File(
        [JSON.stringify({ flaglineProvisioning: 1, organizationName: 'Example School', settings: { endpointUrl: 'https://school.example/r' } })],
        'p.json',
      ),
    );
    if (!parsed.ok) throw new Error('the sample file should parse');
    await act(async () => {
      expect((await result.current.apply(parsed.file)).ok).toBe(true);
    });
    expect(result.current.form.key).toBe(1);
    expect(result.current.form.seed?.endpointUrl).toBe('https://school.example/r');
    await waitFor(() => expect(sent).toEqual([RETRY_ALL]));
  });

  it('granting host access for the endpoint retries what failed; a refusal does not', async () => {
    const { result, sent, permissions } = page();
    expect(await result.current.requestAccess('https://reports.school.example/v1')).toBe(true);
    await waitFor(() => expect(sent).toEqual([RETRY_ALL]));
    permissions.request.mockResolvedValueOnce(false);
    expect(await result.current.requestAccess('https://reports.school.example/v1')).toBe(false);
    expect(sent).toHaveLength(1);
  });
});
