import { type z } from 'zod';
import { BUILT_IN_CATEGORIES, type CategoryDef } from './categories';
import type { FlaglineDB } from './db';
import { ManagedPolicy, POLICY_SETTING_KEYS, type PolicyCategories, type PolicyProblem, type SettingKey } from './schema/policy';

/**
 * Reading and applying the school's managed policy. Pure functions over the raw object that
 * `browser.storage.managed.get()` returns, so unit tests drive them directly.
 *
 * One module (a little over 300 lines) because its parts are one step, "what does the policy
 * say now": validating keys, resolving categories, the view pages show, and the readers that
 * get the raw policy from the browser (cached, or soon for the pick's screenshot). Splitting the
 * readers off would leave each half importing the other's types.
 */

/** The policy after key-by-key validation: only valid keys, plus what was wrong with the rest. */
export interface ParsedPolicy {
  values: Partial<z.infer<typeof ManagedPolicy>>;
  problems: PolicyProblem[];
}

export const EMPTY_POLICY: ParsedPolicy = { values: {}, problems: [] };

/** Reads `storage.managed` the way both browsers need: Firefox throws when there is no policy. */
export type ReadManagedStorage = () => Promise<unknown>;

export function managedStorageReader(area: { get: () => Promise<Record<string, unknown>> } | undefined): ReadManagedStorage {
  return async () => {
    try {
      return (await area?.get()) ?? {};
    } catch {
      return {};
    }
  };
}

const CREDENTIAL_KEYS = ['accessToken', 'signingSecret'] as const;

/**
 * Validates each key on its own: one bad value never takes the others down. Unknown keys are
 * reported (a typo in a key name is the commonest policy mistake). Credentials apply only
 * together with a valid `endpointUrl` from the same policy, so a school's token is never sent
 * to an address a user typed.
 */
export function parsePolicy(raw: unknown): ParsedPolicy {
  const problems: PolicyProblem[] = [];
  const values: Record<string, unknown> = {};
  if (raw === null || raw === undefined) return { values: {}, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { values: {}, problems: [{ key: '*', message: 'policy_problem_notObject' }] };
  const shape = ManagedPolicy.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const field = shape[key];
    if (!field) {
      problems.push({ key, message: 'policy_problem_unknownKey' });
      continue;
    }
    if (key === 'locked' && Array.isArray(value)) {
      // A typo in one name must not unlock everything else: keep the valid names.
      const names: string[] = [];
      value.forEach((name, index) => {
        if (typeof name === 'string' && (shape.locked as z.ZodArray<z.ZodType>).element.safeParse(name).success) names.push(name);
        else problems.push({ key, message: 'policy_problem_lockedName', path: String(index) });
      });
      values.locked = [...new Set(names)];
      continue;
    }
    const parsed = field.safeParse(value);
    if (parsed.success) {
      values[key] = parsed.data;
    } else {
      const issue = parsed.error.issues[0];
      problems.push({
        key,
        // Our rules carry i18n keys as messages; zod's own (wrong type…) become one generic key.
        message: issue && /^(policy_problem_|error_)/.test(issue.message) ? issue.message : 'policy_problem_type',
        ...(issue && issue.path.length > 0 ? { path: issue.path.join('.') } : {}),
      });
    }
  }
  if (values.endpointUrl === undefined) {
    for (const key of CREDENTIAL_KEYS) {
      if (values[key] !== undefined) {
        delete values[key];
        problems.push({ key, message: 'policy_problem_needsEndpoint' });
      }
    }
  }
  const categories = values.categories as PolicyCategories | undefined;
  if (categories) {
    const reasonProblems = checkReasons(categories);
    if (reasonProblems.length > 0) {
      delete values.categories;
      problems.push(...reasonProblems);
    }
  }
  return { values: values, problems };
}

function checkReasons(categories: PolicyCategories): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  categories.builtIn?.forEach((entry, index) => {
    const def = BUILT_IN_CATEGORIES.find((c) => c.id === entry.id);
    entry.reasons?.forEach((reason, r) => {
      if (!def?.reasons.some((known) => known.id === reason)) {
        problems.push({ key: 'categories', message: 'policy_problem_reason', path: `builtIn.${index}.reasons.${r}` });
      }
    });
  });
  return problems;
}

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

/** The value a fixed setting takes: the policy's, else the default. */
export function policySettingValue<K extends SettingKey>(policy: ParsedPolicy, key: K, defaults: Record<SettingKey, unknown>): unknown {
  const own = (policy.values as Record<string, unknown>)[key];
  return own !== undefined ? own : defaults[key];
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

/** `browser.storage.onChanged`, reduced to what we use. */
export interface StorageChangedEvent {
  addListener(callback: (changes: Record<string, unknown>, areaName: string) => void): void;
  removeListener(callback: (changes: Record<string, unknown>, areaName: string) => void): void;
}

/**
 * Calls `onChange` whenever the managed policy changes while the browser runs (an administrator
 * pushed a new policy, or reloaded policies): no restart needed. Returns the unsubscribe.
 */
export function onPolicyChanged(event: StorageChangedEvent | undefined, onChange: () => void): () => void {
  if (!event) return () => undefined;
  const listener = (_changes: Record<string, unknown>, areaName: string) => {
    if (areaName === 'managed') onChange();
  };
  event.addListener(listener);
  return () => event.removeListener(listener);
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

/**
 * `managedStorageReader` for the background, which reads settings at every pick and delivery:
 * the policy is read once per worker and again only after it changed (a change always comes
 * with an `onChanged` event for the `managed` area). Chromium can take seconds to answer a
 * browser session's first `storage.managed.get()`, so the read starts when the reader is made;
 * later reads no longer go back to the browser at all. A failed read (Firefox without a policy)
 * is not kept. Decisions that cannot wait use `soonPolicyReader` on top of this.
 */
export function cachedManagedStorageReader(
  area: { get: () => Promise<Record<string, unknown>> } | undefined,
  changes: StorageChangedEvent | undefined,
): ReadManagedStorage {
  if (!area || !changes) return managedStorageReader(area);
  let cached: Promise<Record<string, unknown>> | undefined;
  onPolicyChanged(changes, () => (cached = undefined));
  // The first read starts now, as the worker starts (with the browser, via `runtime.onStartup`):
  // Chromium answers a browser session's first `storage.managed.get()` only once its policy
  // service has initialised (2.9 s after launch here; other extensions report 3–8 s), and the
  // sooner it is asked,
  // the sooner the answer is in. It is no guarantee: in the bench the first read stayed pending
  // until after the first pick, 55 s later — hence `soonPolicyReader`.
  cached = area.get();
  // Every read below awaits `cached` and sees a failure; this only keeps it from counting as
  // unhandled before the first read.
  cached.catch(() => undefined);
  return async () => {
    const read = (cached ??= area.get());
    try {
      return (await read) ?? {};
    } catch {
      if (cached === read) cached = undefined;
      return {};
    }
  };
}

/** Where the policy as last read is kept (the database, like every other setting). */
export interface LastKnownPolicy {
  load: () => Promise<unknown>;
  save: (raw: unknown) => Promise<void>;
}

export const LAST_POLICY_KEY = 'policy.lastKnown';

export function lastKnownPolicy(db: Pick<FlaglineDB, 'keyValue'>): LastKnownPolicy {
  return {
    load: async () => (await db.keyValue.get(LAST_POLICY_KEY))?.value,
    save: async (raw) => void (await db.keyValue.put({ key: LAST_POLICY_KEY, value: raw })),
  };
}

/**
 * A reader for decisions that cannot wait: whether to take a pick's screenshot the moment it is
 * picked. Chromium can leave a session's `storage.managed.get()` unanswered for seconds — the
 * bench saw the worker's first read still pending 55 s after it was made, answered only
 * 2.4–5.5 s after the first pick; other extensions report 3–8 s. This asks the browser and reads
 * the policy as it was last read (none before the first read ever) at once, and answers with
 * whichever comes first: a cached answer is in within microtasks, before the database read, so
 * it wins whenever the browser has answered before; while it has not, the pick does not wait
 * (a fixed 25 ms grace before falling back made the first pick after a start that much later,
 * capture.firstPickSavedMs). Every answer the browser gives is kept for next time. Callers
 * confirm against `read` before anything is stored (utils/evidence/capture.ts).
 */
export function soonPolicyReader(read: ReadManagedStorage, last: LastKnownPolicy): ReadManagedStorage {
  let kept: string | undefined;
  const fresh = () => {
    const answer = read();
    void answer
      .then(async (raw) => {
        const json = JSON.stringify(raw ?? {});
        if (json === kept) return;
        kept = json;
        await last.save(raw ?? {});
      })
      // The answer itself went to the caller; only remembering it for next time failed.
      .catch((error: unknown) => console.warn('Flagline could not remember the policy:', error));
    return answer;
  };
  return async () => {
    const answer = fresh();
    // Nothing remembered (or unreadable): answer as if no policy were known yet; the caller
    // confirms with the full read before anything is stored.
    const remembered = last.load().then(
      (raw) => raw ?? {},
      () => ({}),
    );
    return Promise.race([answer, remembered]);
  };
}
