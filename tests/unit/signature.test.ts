import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@/utils/policy';
import { SigningSecret } from '@/utils/schema/settings';
import { loadEffectiveSettings, saveSettings } from '@/utils/settings';
import { InvalidSigningSecretError, signatureHeaders, signingKeyBytes } from '@/utils/signature';
import { CATALOGS } from './chrome-i18n';
import { freshDb } from './helpers';

/** 24 bytes, the Standard Webhooks reference secret. */
const VALID = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('signing secrets: one strict decoder', () => {
  it('decodes a whsec_ secret as standard base64 and any other secret as its UTF-8 bytes', () => {
    expect(signingKeyBytes(VALID)).toHaveLength(24);
    expect([...signingKeyBytes('whsec_AAECAwQFBgcICQoLDA0ODw==')]).toEqual([...Array(16).keys()]);
    expect(new TextDecoder().decode(signingKeyBytes('school-secret'))).toBe('school-secret');
  });

  it.each([
    ['not base64', 'whsec_abc!defg'],
    ['missing padding', 'whsec_AAECAwQFBgcICQoLDA0ODw'],
    ['URL-safe alphabet', 'whsec_-_ECAwQFBgcICQoLDA0ODw=='],
    ['shorter than 16 bytes', 'whsec_b3RoZXI='],
    ['empty', 'whsec_'],
    ['non-zero bits after the last byte', 'whsec_AAECAwQFBgcICQoLDA0ODx=='],
  ])('refuses a whsec_ secret that is %s, instead of guessing', (_why, secret) => {
    expect(() => signingKeyBytes(secret)).toThrow(InvalidSigningSecretError);
  });

  it('never signs with an invalid whsec_ secret (it used to fall back to the UTF-8 bytes)', async () => {
    await expect(signatureHeaders('whsec_abc!defg', 'm', 1, 'b')).rejects.toThrow(InvalidSigningSecretError);
  });

  it('settings refuse an invalid whsec_ secret with a translated message and keep what was stored', async () => {
    const db = freshDb();
    await saveSettings(db, { signingSecret: VALID });
    expect(await saveSettings(db, { signingSecret: 'whsec_abc!defg' })).toEqual({ ok: false, errors: { signingSecret: 'error_secret_whsec' } });
    expect((await loadEffectiveSettings(db)).signingSecret).toBe(VALID);
    expect(SigningSecret.safeParse('plain-secret').success).toBe(true);
    expect(SigningSecret.safeParse('').success).toBe(true);
  });

  it('a policy with an invalid whsec_ secret has that key ignored and reported to the administrator', () => {
    const parsed = parsePolicy({ signingSecret: 'whsec_abc!defg', organizationName: 'School' });
    expect(parsed.values.signingSecret).toBeUndefined();
    expect(parsed.values.organizationName).toBe('School');
    expect(parsed.problems).toContainEqual(expect.objectContaining({ key: 'signingSecret', message: 'error_secret_whsec' }));
  });

  it('the message exists in English and Chinese', () => {
    expect(CATALOGS.en.error_secret_whsec?.message).toMatch(/base64/);
    expect(CATALOGS.zh_CN.error_secret_whsec?.message).toMatch(/base64/);
  });
});
