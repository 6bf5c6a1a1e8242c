import { beforeEach, describe, expect, it } from 'vitest';
import type { FlaglineDB } from '@/utils/db';
import { freshDb } from './helpers';
import { EndpointUrl, AccessToken, UserEndpointUrl } from '@/utils/schema/settings';
import { hasEndpoint, keepsHere } from '@/utils/destination';
import { DEFAULT_SETTINGS, loadEffectiveSettings, saveSettings } from '@/utils/settings';

const firstMessage = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.success ? undefined : result.error?.issues[0]?.message;

describe('EndpointUrl', () => {
  it.each([
    'https://reports.example.org/v1/reports',
    'https://example.org:8443/hook?x=1',
    'http://127.0.0.1:8787/v1/reports',
    'http://localhost:3000/',
    'http://[::1]:9000/r',
    '  https://padded.example.org/  ',
  ])('accepts %s', (value) => {
    expect(EndpointUrl.safeParse(value).success).toBe(true);
  });

  it.each([
    ['', 'error_endpoint_required'],
    ['   ', 'error_endpoint_required'],
    ['reports.example.org', 'error_endpoint_invalid'],
    ['ftp://example.org/x', 'error_endpoint_invalid'],
    ['javascript:alert(1)', 'error_endpoint_invalid'],
    ['http://reports.example.org/v1', 'error_endpoint_insecure'],
    ['http://192.168.1.10/v1', 'error_endpoint_insecure'],
    ['https://user:pass@example.org/v1', 'error_endpoint_credentials'],
  ])('refuses %j with %s', (value, key) => {
    expect(firstMessage(EndpointUrl.safeParse(value))).toBe(key);
  });

  it('is optional for the user: empty means no endpoint, anything else is checked as before', () => {
    expect(UserEndpointUrl.parse('  ')).toBe('');
    expect(firstMessage(UserEndpointUrl.safeParse('http://reports.example.org/v1'))).toBe('error_endpoint_insecure');
    expect(UserEndpointUrl.parse(' https://a.example/ ')).toBe('https://a.example/');
  });

  it('trims what it stores', () => {
    expect(EndpointUrl.parse('  https://a.example/ ')).toBe('https://a.example/');
  });
});

describe('AccessToken', () => {
  it('accepts visible ASCII and the empty token', () => {
    expect(AccessToken.parse('abc.DEF-123_~')).toBe('abc.DEF-123_~');
    expect(AccessToken.parse('')).toBe('');
  });
  it('refuses characters that cannot go into a header', () => {
    expect(firstMessage(AccessToken.safeParse('has space'))).toBe('error_token_invalid');
    expect(firstMessage(AccessToken.safeParse('令牌'))).toBe('error_token_invalid');
    expect(firstMessage(AccessToken.safeParse('a\nb'))).toBe('error_token_invalid');
  });
});

describe('settings storage', () => {
  let db: FlaglineDB;
  beforeEach(() => {
    db = freshDb();
  });

  it('starts from the built-in defaults', async () => {
    expect(await loadEffectiveSettings(db)).toEqual(DEFAULT_SETTINGS);
    // No WXT_DEFAULT_ENDPOINT in this build (only `npm start` and the e2e builds set one): no endpoint.
    expect(DEFAULT_SETTINGS.endpointUrl).toBe('');
  });

  it('saves valid settings and reads them back', async () => {
    const result = await saveSettings(db, { endpointUrl: 'https://r.example.org/v1/reports', accessToken: 'tok' });
    expect(result.ok).toBe(true);
    expect(await loadEffectiveSettings(db)).toEqual({ ...DEFAULT_SETTINGS, endpointUrl: 'https://r.example.org/v1/reports', accessToken: 'tok' });
  });

  it('saves nothing when any field is invalid, and says which', async () => {
    await saveSettings(db, { endpointUrl: 'https://good.example.org/', accessToken: 'old' });
    const result = await saveSettings(db, { endpointUrl: 'http://evil.example.org/', accessToken: 'new' });
    expect(result).toEqual({ ok: false, errors: { endpointUrl: 'error_endpoint_insecure' } });
    expect(await loadEffectiveSettings(db)).toEqual({ ...DEFAULT_SETTINGS, endpointUrl: 'https://good.example.org/', accessToken: 'old' });
  });

  it('falls back field by field when a stored value is no longer valid', async () => {
    await db.keyValue.put({ key: 'settings.user', value: { endpointUrl: 'http://not-loopback.example/', accessToken: 'kept' } });
    expect(await loadEffectiveSettings(db)).toEqual({ ...DEFAULT_SETTINGS, accessToken: 'kept' });
  });

  it('a partial save keeps every other setting', async () => {
    await saveSettings(db, { signingSecret: 'whsec_YW5vdGhlci1zZWNyZXQta2V5LTE2Kw==', batchSize: 20, reviewBeforeSend: true });
    await saveSettings(db, { endpointUrl: 'https://r.example.org/v1/reports' });
    expect(await loadEffectiveSettings(db)).toEqual({
      ...DEFAULT_SETTINGS,
      endpointUrl: 'https://r.example.org/v1/reports',
      signingSecret: 'whsec_YW5vdGhlci1zZWNyZXQta2V5LTE2Kw==',
      batchSize: 20,
      reviewBeforeSend: true,
    });
  });

  it('refuses out-of-range numbers and keeps what was stored', async () => {
    const result = await saveSettings(db, { batchSize: 0 });
    expect(result).toEqual({ ok: false, errors: { batchSize: 'error_number_range' } });
    expect(await loadEffectiveSettings(db)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('clearing the endpoint', () => {
  it('saves as no endpoint, and new reports are then kept here (utils/destination.ts)', async () => {
    const db = freshDb();
    expect((await saveSettings(db, { endpointUrl: 'https://r.example.org/v1/reports' })).ok).toBe(true);
    expect(keepsHere(await loadEffectiveSettings(db))).toBe(false);
    expect((await saveSettings(db, { endpointUrl: '' })).ok).toBe(true);
    const settings = await loadEffectiveSettings(db);
    expect(settings.endpointUrl).toBe('');
    expect(hasEndpoint(settings)).toBe(false);
    expect(keepsHere(settings)).toBe(true);
  });
});
