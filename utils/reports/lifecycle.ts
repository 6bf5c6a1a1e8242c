import type { Report } from '../schema/report';
import type { DeliveryError, DeliveryStatus, LedgerLine, ReceiptFields, ReportRecord } from '../schema/record';

/**
 * The report lifecycle: every status a stored report can be in, and the only code that changes
 * it. A report is created `held` (waiting for review) or `waiting` (in the outbox); the outbox
 * moves it to `sent`, `failed` (the endpoint refused it) or `undelivered` (too old to keep
 * trying); the user's Retry puts `failed` and `undelivered` reports back in the outbox.
 * `sending` exists only in records of schema version 3 and earlier (a lease row marks a report in
 * flight now) and only ever goes back to `waiting`.
 *
 * Every function here changes the record in place (or makes a new one); the caller writes it in
 * its transaction.
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

/** A new report, `waiting` in the outbox or `held` for review; due at once. */
export function newRecord(report: Report, now: number, options: { hold?: boolean } = {}): ReportRecord {
  return { id: report.id, report, status: options.hold ? 'held' : 'waiting', createdAt: now, updatedAt: now, attempts: 0, nextAttemptAt: now };
}

/** A record of schema version 3 or earlier that was `sending`: it waits again (the upgrade). */
export function fromLegacySending(record: ReportRecord): void {
  moveTo(record, 'waiting', record.updatedAt);
  delete record.lease;
}

/** Adds a line to the record's own ledger (a new array: readers may hold a shallow copy). */
export function appendLedger(record: ReportRecord, line: LedgerLine): void {
  record.ledger = [...(record.ledger ?? []), line];
}

/** One report's acknowledgement, recorded in its batch's lease and not yet applied to its record. */
export interface Acknowledged extends ReceiptFields {
  /** The revision that was sent: an acknowledgement never applies to a later revision. */
  revision: number;
  at: number;
  endpoint: string;
  result: 'accepted' | 'duplicate';
}

/** The receipt fields an answer carries, without the absent ones (the records are stored as is). */
export function receiptFields({ receipt, statusToken, statusUrl }: ReceiptFields): ReceiptFields {
  return { ...(receipt ? { receipt } : {}), ...(statusToken ? { statusToken } : {}), ...(statusUrl ? { statusUrl } : {}) };
}

export const revisionOf = (record: Pick<ReportRecord, 'report'>) => record.report.revision ?? 1;

/**
 * The endpoint acknowledged the report: it is `sent`, with its ledger line. Returns false (and
 * changes nothing) when the record is no longer the revision that was sent or no longer waiting.
 * The outbox stores exactly this (utils/outbox/settle.ts `applyAcknowledged`), and readers show
 * it before it is stored (utils/leases.ts `withDeliveryState`), so both always agree. A status
 * token is not part of the record: the outbox enters it in the status book as it stores this
 * (utils/status/book.ts `trackStatuses`).
 */
export function acknowledge(record: ReportRecord, ack: Acknowledged): boolean {
  if (record.status !== 'waiting' || revisionOf(record) !== ack.revision) return false;
  moveTo(record, 'sent', ack.at);
  delete record.lease;
  delete record.lastError;
  record.attempts += 1;
  record.sentAt = ack.at;
  record.endpoint = ack.endpoint;
  if (ack.receipt) record.receipt = ack.receipt;
  appendLedger(record, { at: ack.at, endpoint: ack.endpoint, outcome: ack.result, ...(ack.receipt ? { receipt: ack.receipt } : {}) });
  return true;
}

/**
 * An attempt that did not deliver the report: refused for good (`failed`), or to be tried again
 * at `retryAt` (`waiting`). The body sent is frozen: the endpoint may hold it, so every later
 * attempt sends exactly these bytes.
 */
export function attemptFailed(record: ReportRecord, attempt: { at: number; endpoint: string; body: string; error: DeliveryError; retryAt?: number }): void {
  const { at, endpoint, error, retryAt } = attempt;
  moveTo(record, retryAt === undefined ? 'failed' : 'waiting', at);
  delete record.lease;
  record.attempts += 1;
  record.endpoint = endpoint;
  record.wireBody = attempt.body;
  record.lastError = error;
  if (retryAt !== undefined) record.nextAttemptAt = retryAt;
  appendLedger(record, {
    at,
    endpoint,
    outcome: retryAt === undefined ? 'rejected' : 'retry',
    ...(error.status === undefined ? {} : { httpStatus: error.status }),
    detail: error.detail ?? error.kind,
  });
}

/** Older than the age limit without an acknowledgement: `undelivered`, no more automatic tries. */
export function expire(record: ReportRecord, now: number, endpoint: string, maxAgeDays: number): void {
  moveTo(record, 'undelivered', now);
  record.lastError = { kind: 'expired', detail: String(maxAgeDays), at: now };
  appendLedger(record, { at: now, endpoint, outcome: 'undelivered', detail: `older than ${maxAgeDays} days` });
}

/** What an export recorded about a report's delivery (utils/workspace/bundle.ts `BundleEntry`). */
export type RecordedDelivery = Pick<ReportRecord, 'status' | 'createdAt' | 'attempts' | 'sentAt' | 'endpoint' | 'receipt' | 'lastError' | 'duplicateAck'>;

/**
 * A report brought in by a workspace import. A report that was sent stays `sent` (and read-only,
 * with its receipt and ledger). Anything not yet acknowledged comes in `held`: importing never
 * makes this browser send something the user has not decided to send here. Its attempt count is
 * kept, so a report that may already have reached an endpoint stays read-only. `importedAt`
 * marks all of it as recorded on another device: a file cannot make this one claim a delivery.
 */
export function restoredRecord(report: Report, recorded: RecordedDelivery, now: number): ReportRecord {
  const sent = recorded.status === 'sent';
  return {
    id: report.id,
    report,
    status: sent ? 'sent' : 'held',
    createdAt: recorded.createdAt,
    updatedAt: now,
    attempts: recorded.attempts,
    nextAttemptAt: now,
    importedAt: now,
    ...(sent && recorded.sentAt !== undefined ? { sentAt: recorded.sentAt } : {}),
    ...(recorded.endpoint ? { endpoint: recorded.endpoint } : {}),
    ...(recorded.receipt ? { receipt: recorded.receipt } : {}),
    ...(!sent && recorded.lastError ? { lastError: recorded.lastError } : {}),
    ...(recorded.duplicateAck ? { duplicateAck: true } : {}),
  };
}
