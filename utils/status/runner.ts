import { readManyWithDeliveryState } from '../leases';
import type { AlarmScheduler } from '../outbox/runner';
import type { ReportRecord } from '../schema/record';
import { checkStatuses, nextStatusCheckAt, type StatusCheckOptions, type StatusCheckResult, type StatusDeps } from './check';

export const STATUS_ALARM = 'flagline-status';

export interface StatusRunnerDeps extends StatusDeps {
  alarms: AlarmScheduler;
  /** settings.statusChecks: off means no request at all. */
  enabled: () => Promise<boolean>;
  /** See {@link StatusCheckOptions.refreshMinMs}. */
  refreshMinMs?: number;
  /** Reports that became closed: one notification each, when the user allowed them. */
  onClosed?: (records: ReportRecord[]) => Promise<void>;
}

export interface StatusRunner {
  /** Checks what is due (or the reports named), then sets the alarm for the next due check. */
  check(options?: Pick<StatusCheckOptions, 'ids'>): Promise<StatusCheckResult>;
  /** Sets the alarm for the next due check (after a delivery, at worker start). */
  reschedule(): Promise<void>;
}

/**
 * Status checks in the background: one round at a time, and an alarm at the next due check —
 * re-set after every round and at every worker start, because a browser restart may clear alarms.
 */
export function createStatusRunner(deps: StatusRunnerDeps): StatusRunner {
  let running: Promise<unknown> = Promise.resolve();

  async function setAlarm(next: number | undefined): Promise<void> {
    if (next === undefined) await deps.alarms.clear(STATUS_ALARM);
    // Alarms fire at most every 30 s in packed extensions; a past time fires at once.
    else await deps.alarms.create(STATUS_ALARM, { when: Math.max(next, deps.clock() + 1000) });
  }

  async function reschedule(): Promise<void> {
    await setAlarm((await deps.enabled()) ? await nextStatusCheckAt(deps.db, deps.clock()) : undefined);
  }

  function check(options: Pick<StatusCheckOptions, 'ids'> = {}): Promise<StatusCheckResult> {
    const round = running.then(async () => {
      // Switched off: no request, and no next check (the alarm is cleared below).
      const enabled = deps.enabled();
      const result = await checkStatuses(deps, { ...options, enabled, ...(deps.refreshMinMs === undefined ? {} : { refreshMinMs: deps.refreshMinMs }) });
      if (result.closed.length > 0 && deps.onClosed) await deps.onClosed(await readManyWithDeliveryState(deps.db, result.closed));
      return result;
    });
    // The round knows the next due check already: no second read of every tracked report. The
    // alarm is set after the round answers (the next round waits for it); a worker that dies
    // first sets it again when it starts.
    const alarmSet = round.then((result) => setAlarm(result.nextAt));
    running = alarmSet.catch((error: unknown) => console.warn('Flagline could not set the status alarm:', error));
    return round;
  }

  return { check, reschedule };
}
