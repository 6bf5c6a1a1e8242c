import { BUILT_IN_CATEGORIES, type CategoryDef } from './categories';
import type { ParsedPolicy } from './policy';
import type { PolicyCategories, PolicyKey, PolicyProblem, SettingKey } from './schema/policy';

/**
 * What a parsed policy means for the pages: the settings it fixes, the categories to offer, the
 * view of the organisation, and what submitting needs. Pure functions over `ParsedPolicy`
 * (utils/policy.ts parses it with the schemas), kept apart so a page's first screen — the popup's,
 * which gets the policy parsed from the background — uses them without the schema library.
 */

/** Policy keys that are user settings too; the policy's value wins over the user's. */
export const POLICY_SETTING_KEYS = [
  'endpointUrl',
  'accessToken',
  'signingSecret',
  'reviewBeforeSend',
  'batchSize',
  'allowScreenshots',
] as const satisfies Array<PolicyKey & SettingKey>;

/** Credentials apply only together with the endpoint they were set for. */
export const CREDENTIAL_KEYS = ['accessToken', 'signingSecret'] as const;

/**
 * Which settings users may not change: every setting the policy sets, and every name in
 * `locked` (those the policy does not set stay at their default). When the policy sets the
 * endpoint, its credentials are fixed with it (to the policy's values, or empty): a user's own
 * token is never sent to the school's endpoint, nor the school's to another.
 */
export function fixedSettings(policy: ParsedPolicy): SettingKey[] {
  const fixed = new Set<SettingKey>();
  for (const key of POLICY_SETTING_KEYS) if (policy.values[key] !== undefined) fixed.add(key);
  if (policy.values.endpointUrl !== undefined) for (const key of CREDENTIAL_KEYS) fixed.add(key);
  for (const key of policy.values.locked ?? []) fixed.add(key);
  return [...fixed];
}

/** `zh_CN` when the UI speaks Chinese, else `en` (for the school's own labels). */
export type LabelLanguage = 'en' | 'zh_CN';
export const labelLanguage = (tag: string): LabelLanguage => (tag.toLowerCase().startsWith('zh') ? 'zh_CN' : 'en');

export const CUSTOM_PREFIX = 'custom:';

/**
 * The categories to offer: the built-in ones the policy keeps (with the sub-reasons it keeps),
 * then the school's own, labelled in the UI language. Without a policy: all built-in ones.
 */
export function resolveCategories(categories: PolicyCategories | undefined, language: LabelLanguage = 'en'): CategoryDef[] {
  if (!categories) return [...BUILT_IN_CATEGORIES];
  const builtIn = categories.builtIn
    ? categories.builtIn.flatMap((entry) => {
        const def = BUILT_IN_CATEGORIES.find((c) => c.id === entry.id);
        if (!def) return [];
        return [entry.reasons ? { ...def, reasons: def.reasons.filter((r) => entry.reasons!.includes(r.id)) } : def];
      })
    : [...BUILT_IN_CATEGORIES];
  const custom: CategoryDef[] = (categories.custom ?? []).map((entry) => ({
    id: `${CUSTOM_PREFIX}${entry.id}`,
    label: 'policy_customCategory',
    hint: 'policy_customCategoryHint',
    ...(entry.dsaCategory ? { dsa: entry.dsaCategory } : {}),
    blurPreviews: false,
    reasons: [],
    display: {
      label: entry.label[language],
      ...(entry.description?.[language] ? { hint: entry.description[language] } : {}),
    },
  }));
  return [...builtIn, ...custom];
}

/** What the pages show about the organisation that manages this browser. */
export interface PolicyView {
  /** True when any valid policy key applies. */
  managed: boolean;
  organizationName?: string;
  supportUrl?: string;
  requireReporterIdentity: boolean;
  requireExplanation?: boolean;
  fixed: SettingKey[];
  problems: PolicyProblem[];
}

export function policyView(policy: ParsedPolicy): PolicyView {
  return {
    managed: Object.keys(policy.values).length > 0,
    ...(policy.values.organizationName ? { organizationName: policy.values.organizationName } : {}),
    ...(policy.values.supportUrl ? { supportUrl: policy.values.supportUrl } : {}),
    requireReporterIdentity: policy.values.requireReporterIdentity === true,
    ...(policy.values.requireExplanation === true ? { requireExplanation: true } : {}),
    fixed: fixedSettings(policy),
    problems: policy.problems,
  };
}

/** What submitting a report needs from settings and policy (the background checks it again). */
export interface SubmitContext {
  categories: CategoryDef[];
  /** The reporter's identity from settings, when given. */
  reporter?: { name: string; contact: string };
  requireReporterIdentity: boolean;
  /** The school's policy requires an explanation with every report. */
  requireExplanation?: boolean;
  /** The good-faith statement was accepted on this device before: no tick needed again. */
  goodFaithAccepted?: boolean;
}

export function submitContext(
  state: { settings: { reporterName: string; reporterContact: string }; policy: ParsedPolicy; view: PolicyView; goodFaith?: unknown },
  language: LabelLanguage = 'en',
): SubmitContext {
  const name = state.settings.reporterName.trim();
  const contact = state.settings.reporterContact.trim();
  return {
    categories: resolveCategories(state.policy.values.categories, language),
    ...(name || contact ? { reporter: { name, contact } } : {}),
    requireReporterIdentity: state.view.requireReporterIdentity,
    ...(state.view.requireExplanation ? { requireExplanation: true } : {}),
    ...(state.goodFaith ? { goodFaithAccepted: true } : {}),
  };
}

/** With `requireReporterIdentity`, a report needs both a name and a contact. */
/** With `requireExplanation`, a report needs an explanation that is more than blanks. */
export const explanationMissing = (context: SubmitContext, explanation: string): boolean => !!context.requireExplanation && !explanation.trim();

export const reporterMissing = (context: SubmitContext): boolean => context.requireReporterIdentity && !(context.reporter?.name && context.reporter.contact);
