import { z } from 'zod';
import type { FlaglineDB } from './db';
import type { MessageKey } from './i18n';
import { isLoopbackHost, UserSettings } from './schema/settings';
import type { SettingKey } from './schema/policy';
import { saveSettings, settingText, type EffectiveState } from './settings';
import type { ReadManagedStorage } from './policy';

/**
 * Provisioning without an admin console: a school hands out a small JSON file (or a link to
 * one) that a user imports on the settings page. It sets user-level values — it locks nothing,
 * and never changes what a managed policy fixes. Format (docs/admin.md):
 *
 *   { "flaglineProvisioning": 1, "organizationName": "…", "settings": { "endpointUrl": "…", … } }
 */
export const PROVISIONING_MAX_BYTES = 256 * 1024;

/** Every user setting may appear; unknown keys make the file invalid (a typo must not pass silently). */
const ProvisioningSettings = z.strictObject(
  // Without their defaults: a setting the file does not name must stay absent, not reset.
  Object.fromEntries(
    Object.entries(UserSettings.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()]),
  ) as unknown as {
    [K in SettingKey]: z.ZodOptional<z.ZodType<UserSettings[K]>>;
  },
);

export const ProvisioningFile = z.strictObject({
  flaglineProvisioning: z.literal(1),
  organizationName: z.string().trim().min(1).max(100).optional(),
  settings: ProvisioningSettings.refine((value) => Object.keys(value).length > 0),
});
export type ProvisioningFile = z.infer<typeof ProvisioningFile>;

export type ProvisioningError =
  | { key: 'policy_provision_error_tooLarge' }
  | { key: 'policy_provision_error_notJson' }
  | { key: 'policy_provision_error_shape' }
  | { key: 'policy_provision_error_value'; setting: string; message: string }
  | { key: 'policy_provision_error_url' }
  | { key: 'policy_provision_error_fetch'; detail: string };

export type ParseResult = { ok: true; file: ProvisioningFile } | { ok: false; error: ProvisioningError };

/** Parses a provisioning file's text. Nothing is applied here; a bad file changes nothing. */
export function parseProvisioning(text: string): ParseResult {
  if (new TextEncoder().encode(text).byteLength > PROVISIONING_MAX_BYTES) return { ok: false, error: { key: 'policy_provision_error_tooLarge' } };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, error: { key: 'policy_provision_error_notJson' } };
  }
  const parsed = ProvisioningFile.safeParse(json);
  if (parsed.success) return { ok: true, file: parsed.data };
  // A value that fails its setting's own rule gets that rule's message; anything else is shape.
  const issue = parsed.error.issues.find((i) => i.path[0] === 'settings' && typeof i.path[1] === 'string' && i.code !== 'unrecognized_keys');
  if (issue && typeof issue.path[1] === 'string' && issue.path[1] in UserSettings.shape) {
    const message = issue.message.startsWith('error_') ? issue.message : 'policy_provision_error_type';
    return { ok: false, error: { key: 'policy_provision_error_value', setting: issue.path[1], message } };
  }
  return { ok: false, error: { key: 'policy_provision_error_shape' } };
}

/** A provisioning link: https, or http on this computer (for testing). */
export function provisioningUrlAllowed(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/**
 * Fetches a provisioning file from a link the user gave (on their click). Reads at most
 * PROVISIONING_MAX_BYTES + 1 bytes, so a huge answer is refused without being held in memory.
 */
export async function fetchProvisioning(url: string, fetchFn: typeof fetch): Promise<ParseResult> {
  if (!provisioningUrlAllowed(url.trim())) return { ok: false, error: { key: 'policy_provision_error_url' } };
  let response: Response;
  try {
    response = await fetchFn(url.trim(), { credentials: 'omit', cache: 'no-store', redirect: 'error' });
  } catch (error) {
    return { ok: false, error: { key: 'policy_provision_error_fetch', detail: error instanceof Error ? error.message : String(error) } };
  }
  if (!response.ok) return { ok: false, error: { key: 'policy_provision_error_fetch', detail: `HTTP ${response.status}` } };
  const declared = Number(response.headers.get('content-length'));
  if (declared > PROVISIONING_MAX_BYTES) return { ok: false, error: { key: 'policy_provision_error_tooLarge' } };
  const reader = response.body?.getReader();
  if (!reader) return parseProvisioning(await response.text());
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > PROVISIONING_MAX_BYTES) {
      await reader.cancel();
      return { ok: false, error: { key: 'policy_provision_error_tooLarge' } };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: { key: 'policy_provision_error_notJson' } };
  }
  return parseProvisioning(text);
}

export const SECRET_SETTINGS: readonly SettingKey[] = ['accessToken', 'signingSecret'];

export interface PreviewRow {
  key: SettingKey;
  current: string;
  next: string;
  /** `change`: will be set; `same`: already so; `kept`: fixed by the organisation's policy. */
  status: 'change' | 'same' | 'kept';
}

const show = (key: SettingKey, value: unknown): string => {
  if (SECRET_SETTINGS.includes(key)) return value === '' || value === undefined ? '' : '••••••••';
  return settingText(value);
};

/** What importing would do, row by row; secrets are masked. */
export function previewProvisioning(file: ProvisioningFile, state: Pick<EffectiveState, 'settings' | 'view'>): PreviewRow[] {
  const fixed = new Set(state.view.fixed);
  return (Object.entries(file.settings) as Array<[SettingKey, unknown]>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const current = state.settings[key];
      const status = fixed.has(key) ? 'kept' : value === current ? 'same' : 'change';
      return {
        key,
        current: show(key, current),
        next: status === 'kept' ? show(key, current) : SECRET_SETTINGS.includes(key) && value === current ? show(key, current) : show(key, value),
        status,
      };
    });
}

/** The settings a provisioning file changes: everything but what the policy fixes. */
export function provisionedValues(file: ProvisioningFile, fixed: readonly SettingKey[]): Partial<UserSettings> {
  return Object.fromEntries(Object.entries(file.settings).filter(([key, value]) => value !== undefined && !fixed.includes(key as SettingKey)));
}

/** Applies a previewed file as user settings (all or nothing; nothing the policy fixes). */
export async function applyProvisioning(db: FlaglineDB, file: ProvisioningFile, fixed: readonly SettingKey[], readPolicy?: ReadManagedStorage) {
  return saveSettings(db, provisionedValues(file, fixed), readPolicy);
}

/** Labels for the preview table's setting column. */
export const SETTING_LABELS: Record<SettingKey, MessageKey> = {
  endpointUrl: 'options_endpointLabel',
  accessToken: 'options_tokenLabel',
  signingSecret: 'policy_setting_signingSecret',
  batchSize: 'policy_setting_batchSize',
  batchMaxBytes: 'policy_setting_batchMaxBytes',
  maxAgeDays: 'policy_setting_maxAgeDays',
  reviewBeforeSend: 'policy_setting_reviewBeforeSend',
  reporterName: 'policy_setting_reporterName',
  reporterContact: 'policy_setting_reporterContact',
  allowScreenshots: 'policy_setting_allowScreenshots',
  statusChecks: 'policy_setting_statusChecks',
  notifyOnOutcome: 'policy_setting_notifyOnOutcome',
};
