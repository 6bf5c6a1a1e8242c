import { z } from 'zod';
import type { FlaglineDB } from './db';
import { UserSettings, type UserSettingsInput } from './schema/settings';

/**
 * Built into the extension at build time (`WXT_DEFAULT_ENDPOINT`); by default the bundled
 * reference receiver on this computer, so `npm start` works with no setup.
 */
export const DEFAULT_ENDPOINT: string = import.meta.env.WXT_DEFAULT_ENDPOINT || 'http://127.0.0.1:8787/v1/reports';

export const DEFAULT_SETTINGS: UserSettings = UserSettings.parse({ endpointUrl: DEFAULT_ENDPOINT });

const USER_SETTINGS_KEY = 'settings.user';

/** What delivery and the pages use: defaults overlaid with what the user saved. */
export type EffectiveSettings = UserSettings;

/**
 * Reads settings field by field, so one bad stored value (written by an older version, say)
 * falls back to its default instead of taking every other setting with it.
 */
export async function loadSettings(db: FlaglineDB): Promise<EffectiveSettings> {
  const row = await db.keyValue.get(USER_SETTINGS_KEY);
  const stored = z.record(z.string(), z.unknown()).safeParse(row?.value);
  const result: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (stored.success) {
    for (const [key, field] of Object.entries(UserSettings.shape)) {
      const parsed = (field as z.ZodType).safeParse(stored.data[key]);
      if (parsed.success && stored.data[key] !== undefined) result[key] = parsed.data;
    }
  }
  return UserSettings.parse(result);
}

export type SaveResult =
  | { ok: true; settings: EffectiveSettings }
  | { ok: false; errors: Partial<Record<keyof UserSettings, string>> };

/**
 * Validates, then saves all or nothing; errors are i18n keys per field. `input` may hold only
 * some fields (one form's worth); the rest keep their current values.
 */
export async function saveSettings(db: FlaglineDB, input: Partial<UserSettingsInput>): Promise<SaveResult> {
  const current = await loadSettings(db);
  const parsed = UserSettings.safeParse({ ...current, ...input });
  if (!parsed.success) {
    const errors: Partial<Record<keyof UserSettings, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof UserSettings;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  await db.keyValue.put({ key: USER_SETTINGS_KEY, value: parsed.data });
  return { ok: true, settings: parsed.data };
}
