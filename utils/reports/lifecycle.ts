import type { DeliveryStatus, ReportRecord } from '../schema/record';

/**
 * The report lifecycle: every status a stored report can be in, and the only code that changes
 * it. A report is created `held` (waiting for review) or `waiting` (in the outbox); the outbox
 * moves it to `sent`, `failed` (the endpoint refused it) or `undelivered` (too old to keep
 * trying); the user's Retry puts `failed` and `undelivered` reports back in the outbox.
 * `sending` exists only in records of schema version 3 and earlier (a lease row marks a report in
 * flight now) and only ever goes back to `waiting`.
 */
export const TRANSITIONS: Readonly<Record<DeliveryStatus, readonly DeliveryStatus[]>> = {
  held: ['waiting'],
  // waiting → waiting: tried again later (backoff), or made due at once.
  waiting: ['waiting', 'sent', 'failed', 'undelivered'],
  sending: ['waiting'],
  sent: [],
  failed: ['waiting'],
  undelivered: ['waiting'],
};

export const canMove = (from: DeliveryStatus, to: DeliveryStatus): boolean => TRANSITIONS[from].includes(to);

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
  constructor(from: DeliveryStatus, to: DeliveryStatus) {
    super(`a report cannot go from ${from} to ${to}`);
  }
}

/** Changes the record's status in place, refusing a transition the table does not allow. */
export function moveTo(record: Pick<ReportRecord, 'status' | 'updatedAt'>, to: DeliveryStatus, now: number): void {
  if (!canMove(record.status, to)) throw new TransitionError(record.status, to);
  record.status = to;
  record.updatedAt = now;
}

/**
 * The user's Retry, for one report (popup, report window) or a selection (workspace "Retry
 * failed"), in place: a failed or undelivered report waits again, due now, and its age limit
 * counts from now (`retriedAt`); a waiting one (backing off) is due at once. Returns whether the
 * record changed; a held or sent report does not.
 */
export function retry(record: ReportRecord, now: number): boolean {
  if (record.status === 'failed' || record.status === 'undelivered') {
    moveTo(record, 'waiting', now);
    record.retriedAt = now;
  } else if (record.status === 'waiting') {
    record.updatedAt = now;
  } else {
    return false;
  }
  record.nextAttemptAt = now;
  return true;
}

/** Held for review → in the outbox, due now ("Submit selected"). Returns whether it changed. */
export function release(record: ReportRecord, now: number): boolean {
  if (record.status !== 'held') return false;
  moveTo(record, 'waiting', now);
  record.nextAttemptAt = now;
  return true;
}
