import { markOffline, noteConnectivity } from '../connectivity';
import type { FlaglineDB } from '../db';
import type { FlushSummary } from '../schema/messages';
import { deliverOutbox } from './flush';
import { OUTBOX_LIMITS, type FlushOptions, type OutboxDeps } from './limits';
import { getDeliveryPause } from './pause';
import { applyAcknowledged } from './settle';

/** When the outbox next needs a worker: the earliest retry or lease expiry, if any. */
export async function nextWakeAt(db: FlaglineDB): Promise<number | undefined> {
  const [waiting, leases] = await Promise.all([db.reports.where('status').equals('waiting').toArray(), db.leases.toArray()]);
  const times = [...waiting.map((r) => r.nextAttemptAt), ...leases.map((lease) => lease.until)];
  return times.length ? Math.min(...times) : undefined;
}

export interface AlarmScheduler {
  create(name: string, info: { when: number }): Promise<void> | void;
  clear(name: string): Promise<boolean> | void;
}

export const OUTBOX_ALARM = 'flagline-outbox';
/** Web Locks name: one flush at a time across every context of the extension. */
export const OUTBOX_LOCK = 'flagline-outbox';
/** Chromium's shortest alarm delay for packed extensions. */
const WATCHDOG_MS = 30_000;

/** The part of the Web Locks API (`navigator.locks`) the runner uses. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * One flush at a time: within this context a request made while a flush runs is coalesced into
 * one follow-up run, so a report saved mid-flush is never left behind; across contexts the flush
 * holds the `flagline-outbox` Web Lock (and the per-report leases guard even without it). After
 * every run the alarm is set for the next due time — alarms may be cleared by a browser
 * restart, so every worker start flushes (and so re-creates it) too.
 */
export function createOutboxRunner(
  deps: OutboxDeps & {
    alarms: AlarmScheduler;
    locks?: LockManagerLike;
    /** `navigator.onLine`: the runner's stand-in for the `online` event (utils/connectivity.ts). */
    isOnline?: () => boolean;
  },
) {
  /** The run in progress, until its acknowledgements are applied and the alarm is set. */
  let current: Promise<void> | undefined;
  let followUp: Promise<FlushSummary> | undefined;
  let followUpOptions: FlushOptions = {};

  function run(options: FlushOptions): { summary: Promise<FlushSummary>; done: Promise<void> } {
    let answer!: (summary: FlushSummary) => void;
    let refuse!: (error: unknown) => void;
    const summary = new Promise<FlushSummary>((resolve, reject) => {
      answer = resolve;
      refuse = reject;
    });
    const done = (async () => {
      try {
        // If this worker dies mid-flush, the alarm wakes a new one, which takes back the leases.
        await deps.alarms.create(OUTBOX_ALARM, { when: deps.clock() + WATCHDOG_MS });
        if (deps.isOnline) await noteConnectivity(deps.db, deps.isOnline(), deps.clock);
        const work = async () => {
          // Every answer is recorded once delivery returns, so the caller hears now; the records
          // catch up with the acknowledgements under the same lock (a worker that dies first
          // leaves them to the next flush, and readers show them as sent meanwhile).
          answer(await deliverOutbox(deps, options));
          await applyAcknowledged(deps, deps.limits);
        };
        await (deps.locks ? deps.locks.request(OUTBOX_LOCK, work) : work());
      } finally {
        let wake = (await getDeliveryPause(deps.db)) ? undefined : await nextWakeAt(deps.db);
        // Offline: look again soon, whatever the backoff says (Chromium gives workers no `online` event).
        if (deps.isOnline?.() === false) {
          await markOffline(deps.db, deps.clock);
          if (wake !== undefined) wake = Math.min(wake, deps.clock() + { ...OUTBOX_LIMITS, ...deps.limits }.offlinePollMs);
        }
        if (wake === undefined) await deps.alarms.clear(OUTBOX_ALARM);
        else await deps.alarms.create(OUTBOX_ALARM, { when: Math.max(wake, deps.clock() + 1000) });
      }
    })();
    // A failure before the answer fails the caller's flush; one after it (applying, or setting
    // the alarm) leaves the recorded acknowledgements for the next flush to apply.
    return { summary, done: done.catch(refuse) };
  }

  /** Runs a flush, or queues one follow-up run behind the current one; resolves with its summary. */
  function flush(options: FlushOptions = {}): Promise<FlushSummary> {
    if (!current) {
      const { summary, done } = run(options);
      current = done.finally(() => {
        current = undefined;
      });
      return summary;
    }
    followUpOptions = { force: followUpOptions.force || options.force, resume: followUpOptions.resume || options.resume };
    followUp ??= current.then(() => {
      const next = followUpOptions;
      followUp = undefined;
      followUpOptions = {};
      return flush(next);
    });
    return followUp;
  }

  /** Resolves when no flush runs or waits: every acknowledgement applied, the alarm set. */
  async function idle(): Promise<void> {
    // Each flush's caller hears its failure; idle() only waits for the runs to end.
    while (current || followUp) await (followUp ? followUp.catch(() => undefined) : current);
  }

  return { flush, idle };
}
