import { describe, expect, it } from 'vitest';
import {
  applyProvisioning,
  fetchProvisioning,
  parseProvisioning,
  previewProvisioning,
  PROVISIONING_MAX_BYTES,
  provisioningUrlAllowed,
} from '@/utils/provisioning';
import { DEFAULT_SETTINGS, loadEffectiveState, loadUserSettings, saveSettings } from '@/utils/settings';
import { freshDb } from './helpers';

const file = (settings: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ flaglineProvisioning: 1, organizationName: 'Example School', settings, ...extra });

describe('parseProvisioning', () => {
  it('accepts a valid file with only the settings it names', () => {
    const result = parseProvisioning(file({ endpointUrl: ' https://school.example/r ', accessToken: 'tok', reviewBeforeSend: true }));
    expect(result).toEqual({
      ok: true,
      file: {
        flaglineProvisioning: 1,
        organizationName: 'Example School',
        settings: { endpointUrl: 'https://school.example/r', accessToken: 'tok', reviewBeforeSend: true },
      },
    });
  });

  it.each([
    ['not JSON', '{"flaglineProvisioning": 1, "settings": {', 'policy_provision_error_notJson'],
    ['wrong shape', JSON.stringify({ settings: { endpointUrl: 'https://a.example/' } }), 'policy_provision_error_shape'],
    ['unknown version', JSON.stringify({ flaglineProvisioning: 2, settings: { batchSize: 3 } }), 'policy_provision_error_shape'],
    ['unknown setting', file({ endpointURL: 'https://a.example/' }), 'policy_provision_error_shape'],
    ['no settings', file({}), 'policy_provision_error_shape'],
    ['an array', '[]', 'policy_provision_error_shape'],
  ])('refuses %s', (_name, text, key) => {
    expect(parseProvisioning(text)).toMatchObject({ ok: false, error: { key } });
  });

  it('names the setting and the rule for an invalid value', () => {
    expect(parseProvisioning(file({ endpointUrl: 'http://school.example/r', batchSize: 10 }))).toEqual({
      ok: false,
      error: { key: 'policy_provision_error_value', setting: 'endpointUrl', message: 'error_endpoint_insecure' },
    });
    expect(parseProvisioning(file({ batchSize: 'ten' }))).toMatchObject({ error: { setting: 'batchSize', message: 'policy_provision_error_type' } });
  });

  it('refuses a file over 256 KB', () => {
    const big = file({ reporterName: 'x' }, { padding: 'x'.repeat(PROVISIONING_MAX_BYTES) });
    expect(parseProvisioning(big)).toEqual({ ok: false, error: { key: 'policy_provision_error_tooLarge' } });
  });
});

describe('fetchProvisioning', () => {
  it('allows https and loopback http only', async () => {
    expect(provisioningUrlAllowed('https://school.example/flagline.json')).toBe(true);
    expect(provisioningUrlAllowed('http://127.0.0.1:9000/f.json')).toBe(true);
    expect(provisioningUrlAllowed('http://school.example/flagline.json')).toBe(false);
    expect(provisioningUrlAllowed('file:///etc/passwd')).toBe(false);
    let called = false;
    const result = await fetchProvisioning('http://school.example/f.json', async () => {
      called = true;
      return new Response('{}');
    });
    expect(result).toEqual({ ok: false, error: { key: 'policy_provision_error_url' } });
    expect(called).toBe(false);
  });

  it('parses what it downloads, and stops reading past 256 KB', async () => {
    const ok = await fetchProvisioning('https://school.example/f.json', async () => new Response(file({ batchSize: 20 })));
    expect(ok).toMatchObject({ ok: true, file: { settings: { batchSize: 20 } } });
    const huge = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    expect(await fetchProvisioning('https://school.example/f.json', async () => new Response(huge))).toEqual({
      ok: false,
      error: { key: 'policy_provision_error_tooLarge' },
    });
    expect(await fetchProvisioning('https://school.example/f.json', async () => new Response('nope', { status: 404 }))).toMatchObject({
      error: { key: 'policy_provision_error_fetch', detail: 'HTTP 404' },
    });
  });
});

describe('preview and apply', () => {
  const text = file({ endpointUrl: 'https://school.example/r', accessToken: 'secret-token', batchSize: 50, reporterContact: 'office@school.example' });

  it('previews each setting with current and new values, secrets masked, policy-fixed ones kept', async () => {
    const db = freshDb();
    const read = async () => ({ endpointUrl: 'https://district.example/r', organizationName: 'District' });
    const parsed = parseProvisioning(text);
    if (!parsed.ok) throw new Error('fixture');
    const rows = previewProvisioning(parsed.file, await loadEffectiveState(db, read));
    expect(rows).toEqual([
      { key: 'endpointUrl', current: 'https://district.example/r', next: 'https://district.example/r', status: 'kept' },
      { key: 'accessToken', current: '', next: '', status: 'kept' },
      { key: 'batchSize', current: '50', next: '50', status: 'same' },
      { key: 'reporterContact', current: '', next: 'office@school.example', status: 'change' },
    ]);
    expect(JSON.stringify(rows)).not.toContain('secret-token');
    const unmanaged = previewProvisioning(parsed.file, await loadEffectiveState(db));
    expect(unmanaged[1]).toEqual({ key: 'accessToken', current: '', next: '••••••••', status: 'change' });
  });

  it('applies user-level values (not locks) and leaves what the policy fixes', async () => {
    const db = freshDb();
    const read = async () => ({ endpointUrl: 'https://district.example/r' });
    const parsed = parseProvisioning(text);
    if (!parsed.ok) throw new Error('fixture');
    const state = await loadEffectiveState(db, read);
    expect((await applyProvisioning(db, parsed.file, state.view.fixed, read)).ok).toBe(true);
    const user = await loadUserSettings(db);
    expect(user).toEqual({ ...DEFAULT_SETTINGS, reporterContact: 'office@school.example' });
    // Nothing is locked by provisioning: the user may change it again.
    expect((await saveSettings(db, { reporterContact: 'me@home.example' }, read)).ok).toBe(true);
    // Without a policy, the whole file applies.
    const db2 = freshDb();
    await applyProvisioning(db2, parsed.file, []);
    expect(await loadUserSettings(db2)).toMatchObject({ endpointUrl: 'https://school.example/r', accessToken: 'secret-token' });
  });
});
