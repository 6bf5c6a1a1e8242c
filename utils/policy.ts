import { type z } from 'zod';
import type { FlaglineDB } from './db';
import { BUILT_IN_CATEGORIES } from './categories';
import { ManagedPolicy, type ParsedPolicy, type PolicyCategories, type PolicyProblem, type SettingKey } from './schema/policy';
import { CREDENTIAL_KEYS } from './policy-view';

/**
 * Reading and applying the school's managed policy. Pure functions over the raw object that
 * `browser.storage.managed.get()` returns, so unit tests drive them directly.
 *
 * One module because its parts are one step, "what does the policy say now": validating keys
 * and the readers that get the raw policy from the browser (cached, or soon for the pick's
 * screenshot). What a parsed policy means (categories, the view pages show, fixed settings) is
 * utils/policy-view.ts, which needs no schemas.
 */

// The pure helpers over a parsed policy live in a module without the schema library (pages'
// first screens use them); they are part of this module's surface too.
export {
  fixedSettings,
  labelLanguage,
  policyView,
  resolveCategories,
  submitContext,
  explanationMissing,
  reporterMissing,
  CUSTOM_PREFIX,
  type LabelLanguage,
  type PolicyView,
  type SubmitContext,
} from './policy-view';

export type { ParsedPolicy };

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

/** The value a fixed setting takes: the policy's, else the default. */
export function policySettingValue<K extends SettingKey>(policy: ParsedPolicy, key: K, defaults: Record<SettingKey, unknown>): unknown {
  const own = (policy.values as Record<string, unknown>)[key];
  return own !== undefined ? own : defaults[key];
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
