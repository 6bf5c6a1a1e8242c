import { z } from 'zod';
import { Report } from './report';
import { ReportId } from './common';

/**
 * Delivery states a user can understand:
 * - `waiting`: saved here, will be sent (again) when the channel can be reached;
 * - `sending`: a worker holds a lease on it and a request is in flight;
 * - `sent`: the endpoint acknowledged it (accepted, or already had it);
 * - `failed`: the endpoint refused it; shown with the reason, retried only on request;
 * - `undelivered`: still not acknowledged after `maxAgeDays`; no more automatic retries, but it
 *   is kept, shown, and can be retried or exported by the user. Never silently dropped;
 * - `held`: saved for review (settings.reviewBeforeSend, or imported); the outbox never sends it
 *   until the user submits it from the workspace (then it becomes `waiting`).
 */
export const DeliveryStatus = z.enum(['waiting', 'sending', 'sent', 'failed', 'undelivered', 'held']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/**
 * `cors`: the endpoint is reachable but does not answer CORS for the extension (host permission
 * would fix it); `gone`: HTTP 410, the channel is paused; `expired`: older than `maxAgeDays`.
 */
export const DeliveryErrorKind = z.enum(['network', 'timeout', 'http', 'rejected', 'unconfirmed', 'no-endpoint', 'cors', 'gone', 'expired']);

export const DeliveryError = z.object({
  kind: DeliveryErrorKind,
  /** HTTP status when the endpoint answered. */
  status: z.number().int().optional(),
  /** What the endpoint or the network said, for the user and the ledger (never secrets). */
  detail: z.string().max(2000).optional(),
  at: z.number(),
});
export type DeliveryError = z.infer<typeof DeliveryError>;

export const Lease = z.object({
  /** The worker instance that holds it: a new worker knows every other owner is dead. */
  owner: z.string(),
  until: z.number(),
});

export const ReportRecord = z.object({
  id: ReportId,
  report: Report,
  status: DeliveryStatus,
  /** Epoch milliseconds, for indexes and ordering; the report body keeps the ISO time. */
  createdAt: z.number(),
  updatedAt: z.number(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number(),
  lease: Lease.optional(),
  lastError: DeliveryError.optional(),
  sentAt: z.number().optional(),
  endpoint: z.string().optional(),
  receipt: z.string().optional(),
  /**
   * The exact JSON of `report` as first sent, frozen at the first delivery attempt: every later
   * attempt sends these bytes, so the endpoint never sees two bodies for one (id, revision).
   * An edit after that is a new revision (`reviseReport`), which clears it.
   */
  wireBody: z.string().optional(),
  /** When the user last asked to retry it; the age limit counts from here or from `createdAt`. */
  retriedAt: z.number().optional(),
  /** The user saw this flagged as a possible duplicate and chose to send it anyway (workspace). */
  duplicateAck: z.boolean().optional(),
});
export type ReportRecord = z.infer<typeof ReportRecord>;

/** One line of the delivery ledger: what was sent where, when, and what came back. */
export const LedgerEntry = z.object({
  seq: z.number().int().optional(),
  reportId: ReportId,
  at: z.number(),
  endpoint: z.string(),
  outcome: z.enum(['accepted', 'duplicate', 'rejected', 'retry', 'undelivered']),
  httpStatus: z.number().int().optional(),
  detail: z.string().optional(),
  receipt: z.string().optional(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;
