import { z } from 'zod';
import type { FlaglineDB } from './db';
import { GoodFaithAcceptance, UserSettings, type UserSettingsInput } from './schema/settings';
import {
  EMPTY_POLICY,
  fixedSettings,
  parsePolicy,
  policySettingValue,
  policyView,
  type ParsedPolicy,
  type PolicyView,
  type ReadManagedStorage,
} from './policy';
import type { SettingKey } from './schema/policy';

/**
 * Built into the extension at build time (`WXT_DEFAULT_ENDPOINT`): only `npm start` (its local
 * Desk) and the test builds (`.env.e2e`, `.env.e2e-capture`) set one. A production build has none
 * — reports are saved and offered for hand-off to official channels, never sent to a guess
 * (issue 16); tests/e2e/production-build.spec.ts checks no loopback address is in its files.
 */
export const DEFAULT_ENDPOINT: string = import.meta.env.WXT_DEFAULT_ENDPOINT || '';

/** Only `npm start` builds one in: the token of the local Desk's demo channel (scripts/start.ts). */
const DEFAULT_TOKEN: string = import.meta.env.WXT_DEFAULT_TOKEN || '';

export const DEFAULT_SETTINGS: UserSettings = UserSettings.parse({ endpointUrl: DEFAULT_ENDPOINT, accessToken: DEFAULT_TOKEN });

const USER_SETTINGS_KEY = 'settings.user';

/** What delivery and the pages use: defaults overlaid with what the user saved. */
export type EffectiveSettings = UserSettings;

/**
 * The user's own settings over the defaults, without the policy (what the settings form edits).
 * Read field by field, so one bad stored value (written by an older version, say) falls back to
 * its default instead of taking every other setting with it.
 */
export async function loadUserSettings(db: FlaglineDB): Promise<UserSettings> {
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

/** Applies a (validated) policy over user settings: defaults < user settings < policy. */
export function applyPolicy(user: UserSettings, policy: ParsedPolicy): EffectiveSettings {
  const result: Record<string, unknown> = { ...user };
  for (const key of fixedSettings(policy)) result[key] = policySettingValue(policy, key, DEFAULT_SETTINGS);
  return result as EffectiveSettings;
}

/**
 * Whether a pick's screenshot may be taken (`now`, on the policy a quick reader gives: see
 * utils/policy.ts `soonPolicyReader`) and kept (`confirmed`, on the full read), from one read of
 * the user's settings.
 */
export function screenshotPermission(db: FlaglineDB, readPolicy: ReadManagedStorage, readPolicySoon: ReadManagedStorage): ScreenshotPermission {
  const user = loadUserSettings(db);
  const allowedUnder = async (read: ReadManagedStorage) => applyPolicy(await user, parsePolicy(await read())).allowScreenshots;
  return { now: allowedUnder(readPolicySoon), confirmed: allowedUnder(readPolicy) };
}

export interface ScreenshotPermission {
  /** Whether to take the screenshot at once; nothing is stored on this answer alone. */
  now: Promise<boolean>;
  /** Whether the settings and the policy, fully read, allow storing it. */
  confirmed: Promise<boolean>;
}

/** Everything delivery and the pages need: effective settings, and what the policy says. */
export interface EffectiveState {
  settings: EffectiveSettings;
  /** The user's own values (for the settings form and provisioning preview). */
  user: UserSettings;
  policy: ParsedPolicy;
  view: PolicyView;
  /** The good-faith statement as accepted on this device; absent until the first report. */
  goodFaith?: GoodFaithAcceptance;
}

/**
 * Effective settings: defaults < user settings < managed policy. Delivery (background
 * `getSettings`), the popup, the settings page and the workspace read settings through this.
 */
export async function loadEffectiveState(db: FlaglineDB, readPolicy?: ReadManagedStorage): Promise<EffectiveState> {
  const [user, raw, goodFaith] = await Promise.all([loadUserSettings(db), readPolicy ? readPolicy() : Promise.resolve(undefined), loadGoodFaith(db)]);
  return { ...effectiveStateOf(user, raw), ...(goodFaith ? { goodFaith } : {}) };
}

/** Settings and policy view from the user's settings and the raw managed policy (`undefined`: none read). */
export function effectiveStateOf(user: UserSettings, raw: unknown): EffectiveState {
  const policy = raw === undefined ? EMPTY_POLICY : parsePolicy(raw);
  return { settings: applyPolicy(user, policy), user, policy, view: policyView(policy) };
}

export async function loadEffectiveSettings(db: FlaglineDB, readPolicy?: ReadManagedStorage): Promise<EffectiveSettings> {
  return (await loadEffectiveState(db, readPolicy)).settings;
}

export type SaveResult = { ok: true; settings: EffectiveSettings } | { ok: false; errors: Partial<Record<keyof UserSettings, string>> };

/**
 * Validates, then saves all or nothing; errors are i18n keys per field. `input` may hold only
 * some fields (one form's worth); the rest keep their current values.
 *
 * With a policy reader, settings the policy fixes can't be changed here (whatever the page
 * shows): sending the fixed value is a no-op, any other value fails with `policy_error_fixed`.
 */
export async function saveSettings(db: FlaglineDB, input: Partial<UserSettingsInput>, readPolicy?: ReadManagedStorage): Promise<SaveResult> {
  const state = await loadEffectiveState(db, readPolicy);
  const fixed = new Set<SettingKey>(state.view.fixed);
  const errors: Partial<Record<keyof UserSettings, string>> = {};
  const userInput: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input) as Array<[SettingKey, unknown]>) {
    if (value === undefined) continue;
    if (fixed.has(key)) {
      const same = UserSettings.shape[key].safeParse(value);
      if (!same.success || same.data !== state.settings[key]) errors[key] = 'policy_error_fixed';
      continue;
    }
    userInput[key] = value;
  }
  const parsed = UserSettings.safeParse({ ...state.user, ...userInput });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof UserSettings;
      errors[field] ??= issue.message;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  await db.keyValue.put({ key: USER_SETTINGS_KEY, value: parsed.data });
  return { ok: true, settings: applyPolicy(parsed.data, state.policy) };
}

/** A setting's value as a form field or a preview shows it (settings are strings, numbers and booleans). */
export const settingText = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

const GOOD_FAITH_KEY = 'settings.goodFaith';

/** The good-faith statement as accepted on this device, if it was (an unreadable row counts as not). */
export async function loadGoodFaith(db: FlaglineDB): Promise<GoodFaithAcceptance | undefined> {
  const stored = GoodFaithAcceptance.safeParse((await db.keyValue.get(GOOD_FAITH_KEY))?.value);
  return stored.success ? stored.data : undefined;
}

/**
 * Remembers that the user accepted the good-faith statement (`acceptedAt`, ISO 8601), unless an
 * acceptance is already kept: the first acceptance's time stays until the user withdraws it.
 */
export async function rememberGoodFaith(db: FlaglineDB, acceptedAt: string): Promise<void> {
  await db.transaction('rw', db.keyValue, async () => {
    if (await loadGoodFaith(db)) return;
    await db.keyValue.put({ key: GOOD_FAITH_KEY, value: GoodFaithAcceptance.parse({ acceptedAt }) });
  });
}

/** Withdraws the standing acceptance (Settings): the next report needs the tick again. */
export async function withdrawGoodFaith(db: FlaglineDB): Promise<void> {
  await db.keyValue.delete(GOOD_FAITH_KEY);
}
