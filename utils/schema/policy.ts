import { z } from 'zod';
import { Channel, ChannelId } from './channel-catalogue';
import { AccessToken, EndpointUrl, SigningSecret, UserSettings, isLoopbackHost } from './settings';

/**
 * The managed policy a school's administrator sets (Chrome/Edge managed storage through
 * `public/managed_schema.json`; Firefox `policies.json` → `3rdparty.Extensions`). Firefox applies
 * no schema and Chrome's check is lenient (an `http://` endpoint is a valid string), so every key
 * is validated here, one by one: a valid key applies, an invalid one is ignored and reported to
 * the administrator on the settings page. docs/admin.md documents every key; a unit test keeps
 * managed_schema.json and this schema in agreement.
 *
 * Error messages are i18n keys (shown to the administrator, translated).
 */

/** Settings a policy may lock (every user setting). */
export const SETTING_KEYS = Object.keys(UserSettings.shape) as Array<keyof UserSettings>;
export type SettingKey = keyof UserSettings;

const DsaCode = z.string().regex(/^STATEMENT_CATEGORY_[A-Z_]+$/, 'policy_problem_dsa');

/** A label in both languages the extension speaks. */
export const LocalizedText = z.object({
  en: z.string().trim().min(1, 'policy_problem_text').max(80, 'policy_problem_text'),
  zh_CN: z.string().trim().min(1, 'policy_problem_text').max(80, 'policy_problem_text'),
});
const LocalizedDescription = z.object({
  en: z.string().trim().max(200, 'policy_problem_text'),
  zh_CN: z.string().trim().max(200, 'policy_problem_text'),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

/** The slug of an organisation's own category; reports carry it as `custom:<slug>`. */
export const CustomCategorySlug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/, 'policy_problem_slug');

export const PolicyCategories = z
  .object({
    /**
     * Built-in categories to offer, in this order, each optionally narrowed to some sub-reasons.
     * Absent: all three with every sub-reason. `[]`: none (only the custom ones).
     */
    builtIn: z
      .array(
        z.object({
          id: z.enum(['rumor', 'cyberviolence', 'minors'], 'policy_problem_builtInId'),
          reasons: z.array(z.string()).optional(),
        }),
      )
      .optional(),
    /** The organisation's own categories, offered after the built-in ones. */
    custom: z
      .array(
        z.object({
          id: CustomCategorySlug,
          label: LocalizedText,
          description: LocalizedDescription.optional(),
          /** Optional DSA code so a receiver can forward such reports; none when absent. */
          dsaCategory: DsaCode.optional(),
        }),
      )
      .max(20, 'policy_problem_tooMany')
      .optional(),
  })
  .superRefine((value, ctx) => {
    const ids = new Set<string>();
    for (const entry of value.custom ?? []) {
      if (ids.has(entry.id)) ctx.addIssue({ code: 'custom', message: 'policy_problem_duplicate', path: ['custom'] });
      ids.add(entry.id);
    }
    const builtIn = new Set<string>();
    for (const entry of value.builtIn ?? []) {
      if (builtIn.has(entry.id)) ctx.addIssue({ code: 'custom', message: 'policy_problem_duplicate', path: ['builtIn'] });
      builtIn.add(entry.id);
    }
    if ((value.builtIn ?? ['all']).length === 0 && (value.custom ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', message: 'policy_problem_noCategories' });
    }
  });
export type PolicyCategories = z.infer<typeof PolicyCategories>;

/** A help page (https, or loopback http for testing) or a mailto: address. */
export const SupportUrl = z
  .string()
  .trim()
  .max(2000, 'policy_problem_supportUrl')
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'mailto:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, 'policy_problem_supportUrl');

/**
 * The official channels a school offers for hand-off (issue 16): `only` restricts the shipped
 * catalogue to these channel ids (in this order); `channels` adds the organisation's own (a
 * district office, the school's safeguarding lead's mailbox), offered before the shipped ones.
 */
export const PolicyHandoff = z
  .object({
    only: z.array(ChannelId).max(50, 'policy_problem_tooMany').optional(),
    channels: z.array(Channel).max(20, 'policy_problem_tooMany').optional(),
  })
  .superRefine((value, ctx) => {
    const ids = new Set<string>();
    for (const channel of value.channels ?? []) {
      if (ids.has(channel.id)) ctx.addIssue({ code: 'custom', message: 'policy_problem_duplicate', path: ['channels'] });
      ids.add(channel.id);
    }
  });
export type PolicyHandoff = z.infer<typeof PolicyHandoff>;

/** Every key a policy may carry. Each is optional: a policy sets only what it wants to fix. */
export const ManagedPolicy = z.object({
  endpointUrl: EndpointUrl,
  accessToken: AccessToken,
  signingSecret: SigningSecret,
  organizationName: z.string().trim().min(1, 'policy_problem_text').max(100, 'policy_problem_text'),
  supportUrl: SupportUrl,
  categories: PolicyCategories,
  handoff: PolicyHandoff,
  reviewBeforeSend: UserSettings.shape.reviewBeforeSend.unwrap(),
  batchSize: UserSettings.shape.batchSize.unwrap(),
  requireReporterIdentity: z.boolean(),
  /** Reports need an explanation (otherwise it is optional). */
  requireExplanation: z.boolean(),
  allowScreenshots: UserSettings.shape.allowScreenshots.unwrap(),
  locked: z.array(z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]], 'policy_problem_lockedName')),
});
export type ManagedPolicy = Partial<z.infer<typeof ManagedPolicy>>;
export type PolicyKey = keyof z.infer<typeof ManagedPolicy>;

/** Something wrong with one policy key, for the administrator. `message` is an i18n key. */
export const PolicyProblem = z.object({
  key: z.string(),
  message: z.string(),
  /** Where inside the value, e.g. `custom.0.label.zh_CN`. */
  path: z.string().optional(),
});
export type PolicyProblem = z.infer<typeof PolicyProblem>;

/**
 * The policy after key-by-key validation (utils/policy.ts `parsePolicy`): only valid keys, plus
 * what was wrong with the rest. The background hands it to the popup parsed (`popupState`).
 */
export const ParsedPolicy = z.object({ values: ManagedPolicy.partial(), problems: z.array(PolicyProblem) });
export type ParsedPolicy = z.infer<typeof ParsedPolicy>;
