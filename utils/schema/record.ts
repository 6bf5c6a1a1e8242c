import { z } from 'zod';
import { Report } from './report';
import { ReportId } from './common';
import { PUBLIC_NOTE_MAX, ReportOutcome, ReportState } from './wire';

/**
 * Delivery states a user can understand:
 * - `waiting`: saved here, will be sent (again) when the channel can be reached;
 * - `sending`: a request for it is in flight. Since schema version 4 this is never stored: a
 *   report in flight stays `waiting` and a {@link BatchLease} row names it (`utils/leases.ts`
 *   derives the state); records written by version 3 may still say it, and the upgrade puts
 *   them back to `waiting`;
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
 * would fix it); `gone`: HTTP 410, the channel is paused; `expired`: older than `maxAgeDays`;
 * `redirect`: the endpoint answers with a redirect (never followed: reports go to the configured
 * address only); `clock`: the endpoint refused the signature's time, this computer's clock is off
 * (retried: it works once the clock is right); `signing`: the signing secret in settings cannot
 * sign (nothing was sent; retried once the settings are fixed).
 */
export const DeliveryErrorKind = z.enum([
  'network',
  'timeout',
  'http',
  'rejected',
  'unconfirmed',
  'no-endpoint',
  'cors',
  'gone',
  'expired',
  'redirect',
  'clock',
  'signing',
]);

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

/**
 * One line of a report's delivery ledger: what was sent where, when, and what came back. The
 * lines live in the report's own record (`ReportRecord.ledger`), so recording an answer is the
 * one write per report that marks it sent — not a second row per report (schema version 4).
 */
export const LedgerLine = z.object({
  at: z.number(),
  /** The endpoint; for a hand-off, the channel's form (or `mailto:` address) it was handed to. */
  endpoint: z.string(),
  /**
   * `status`: the channel's reviewers changed the report's review state (learnt at `at`);
   * `handoff`: the user submitted it to an official channel themselves (utils/handoff/ledger.ts).
   */
  outcome: z.enum(['accepted', 'duplicate', 'rejected', 'retry', 'undelivered', 'status', 'handoff']),
  /** A hand-off's channel id (utils/handoff/catalogue.json). */
  channel: z.string().max(64).optional(),
  httpStatus: z.number().int().optional(),
  detail: z.string().optional(),
  /** The endpoint's receipt, or the case number the official channel gave. */
  receipt: z.string().optional(),
  /** With `status`: the review state and outcome learnt. */
  review: z.object({ state: ReportState, outcome: ReportOutcome.optional() }).optional(),
});
export type LedgerLine = z.infer<typeof LedgerLine>;

/**
 * One request in flight: which reports (at which revision) a worker is sending, until when.
 * One row per batch instead of a write per report — IndexedDB writes, not the network, bound a
 * large flush. A lease whose owner died, or that expired, is taken back by the next flush: its
 * reports are still `waiting`, and their bodies are frozen then (the endpoint may have them).
 */
/**
 * The endpoint's 2xx for a whole batch in which every report was acknowledged (accepted, or
 * already held). It is recorded in the batch's lease row — one write for the batch instead of a
 * write per report, so recording answers keeps up with the wire — and applied to the report
 * records right after the flush (utils/outbox/settle.ts `applyAcknowledged`), or by the next flush if
 * the worker died first. Until then the lease keeps the reports out of every claim and read-only
 * to editors, and readers show them as sent (utils/leases.ts `withDeliveryState`).
 */
/**
 * What an endpoint hands back for one acknowledged report besides the result: its reference, and
 * the means to ask what became of it later (a secret: kept in IndexedDB only, never exported).
 */
export const ReceiptFields = z.object({
  receipt: z.string().optional(),
  statusToken: z.string().min(16).max(200).optional(),
  statusUrl: z.string().optional(),
});
export type ReceiptFields = z.infer<typeof ReceiptFields>;

export const BatchAcknowledgement = z.object({
  at: z.number(),
  endpoint: z.string(),
  /** One per report, in the order of the lease's `reports`. */
  results: z.array(ReceiptFields.extend({ result: z.enum(['accepted', 'duplicate']) })),
});
export type BatchAcknowledgement = z.infer<typeof BatchAcknowledgement>;

export const BatchLease = z.object({
  id: z.string(),
  /** The worker instance that holds it: a new worker knows every other owner is dead. */
  owner: z.string(),
  until: z.number(),
  reports: z.array(z.object({ id: ReportId, revision: z.number().int().positive() })).min(1),
  /** `createdAt` of the oldest and newest report: settle reads the batch back as one index range. */
  firstCreatedAt: z.number(),
  lastCreatedAt: z.number(),
  /** Set when the endpoint acknowledged every report: the request is over, the records not yet updated. */
  acknowledged: BatchAcknowledgement.optional(),
});
export type BatchLease = z.infer<typeof BatchLease>;

/** What the channel's reviewers made of a report, as its status endpoint last said. */
export const ReviewStatus = z.object({
  state: ReportState,
  outcome: ReportOutcome.optional(),
  publicNote: z.string().max(PUBLIC_NOTE_MAX).optional(),
  /** The channel's own time of the change. */
  updatedAt: z.string().max(64),
  /** When this device learnt it. */
  learntAt: z.number(),
});
export type ReviewStatus = z.infer<typeof ReviewStatus>;

/** When to ask the channel next (utils/status/schedule.ts); absent once the report is closed or too old. */
export const StatusCheck = z.object({ step: z.number().int().nonnegative(), nextAt: z.number() });

/**
 * A delivered report the channel can be asked about, in the status book (schema version 5,
 * utils/status/book.ts). It lives beside the report record, not in it: a round of status checks
 * then writes one page per day of deliveries instead of a record per report — in Chromium a
 * thousand small puts cost twice the requests themselves (`status.poll1000Ms`).
 */
export const StatusEntry = z.object({
  /** Where to ask (utils/status/schedule.ts `statusUrlOf`). */
  url: z.string(),
  /** The secret for asking (from the endpoint's answer); never exported or logged. */
  token: z.string().min(16).max(200),
  /** The report's `createdAt`: it is asked about for 30 days from then. */
  createdAt: z.number(),
  /** Absent once the report is closed or too old. */
  check: StatusCheck.optional(),
  review: ReviewStatus.optional(),
  /**
   * The report's ledger lines for review changes (`outcome: 'status'`), oldest first — but for the
   * current review's, which is `review` itself (utils/status/book.ts `learnStatus`).
   */
  lines: z.array(LedgerLine).optional(),
});
export type StatusEntry = z.infer<typeof StatusEntry>;

/**
 * Up to 100 status entries (one status request's worth), by report id, of reports acknowledged on
 * one UTC day: `key` is that day and the page's number, `2026-12-06/0001`. One page without
 * entries, `!revision`, holds the book's revision in `rev` (utils/status/book.ts `putPages`).
 */
export const StatusPage = z.object({ key: z.string(), rev: z.number().int().nonnegative().optional(), entries: z.record(z.string(), StatusEntry) });
export type StatusPage = z.infer<typeof StatusPage>;

/**
 * A {@link StatusPage} as stored since schema version 6 (utils/status/columns.ts): two rows, each
 * a column per field, entry `i` of each column belonging to report `ids[i]`, instead of an object
 * per entry. This row is what is written once, when reports are delivered or deleted: which
 * reports, where to ask about them, with which token. Version 5 stored the page itself; the
 * upgrade turns its pages into these rows.
 */
export const StoredStatusPage = z.object({
  key: z.string(),
  rev: z.number().int().nonnegative().optional(),
  ids: z.array(z.string()),
  /** The page's distinct status addresses; `url[i]` is an index into them. */
  urls: z.array(z.string()),
  url: z.array(z.number().int().nonnegative()),
  token: z.array(z.string()),
  createdAt: z.array(z.number()),
});
export type StoredStatusPage = z.infer<typeof StoredStatusPage>;

/**
 * The other row of a stored page, under the page's key and `STATE_KEY_SUFFIX`: what a round of
 * status checks rewrites — each entry's schedule, review and earlier ledger lines.
 */
export const StoredStatusState = z.object({
  key: z.string(),
  /** The check's step, -1 without a check (closed or too old), and its time (0 without). */
  step: z.array(z.number().int()),
  nextAt: z.array(z.number()),
  /** The review's state as an index into REPORT_STATES, -1 without a review; its outcome likewise. */
  state: z.array(z.number().int()),
  outcome: z.array(z.number().int()),
  /** The review's `updatedAt` ('' without a review) and `learntAt` (0 without). */
  updatedAt: z.array(z.string()),
  learntAt: z.array(z.number()),
  /** The rare parts, by report id: a review's public note, and the ledger lines of earlier reviews. */
  notes: z.record(z.string(), z.string()),
  lines: z.record(z.string(), z.array(LedgerLine)),
});
export type StoredStatusState = z.infer<typeof StoredStatusState>;

/** A row of the `statusPages` table. */
export type StoredStatusRow = StoredStatusPage | StoredStatusState;

export const ReportRecord = z.object({
  id: ReportId,
  report: Report,
  status: DeliveryStatus,
  /** Epoch milliseconds, for indexes and ordering; the report body keeps the ISO time. */
  createdAt: z.number(),
  updatedAt: z.number(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number(),
  /** Only in records written by schema version 3 and earlier (see {@link BatchLease}). */
  lease: Lease.optional(),
  lastError: DeliveryError.optional(),
  sentAt: z.number().optional(),
  endpoint: z.string().optional(),
  receipt: z.string().optional(),
  /**
   * The exact JSON of `report` as first sent, frozen when the first attempt is settled (or its
   * lease taken back): every later attempt sends these bytes, so the endpoint never sees two
   * bodies for one (id, revision). While the first attempt is in flight the lease guards the
   * body instead: editors treat a leased report as attempted. An edit after an attempt is a new
   * revision (utils/reports/edit.ts `editReport`), which clears it.
   */
  wireBody: z.string().optional(),
  /** When the user last asked to retry it; the age limit counts from here or from `createdAt`. */
  retriedAt: z.number().optional(),
  /** The user saw this flagged as a possible duplicate and chose to send it anyway (workspace). */
  duplicateAck: z.boolean().optional(),
  /**
   * When a workspace import brought it in. Its state, receipt and ledger were then recorded by
   * the device that exported it: shown as made elsewhere, never as this device's own delivery.
   */
  importedAt: z.number().optional(),
  /** The delivery ledger, oldest first (absent until the first attempt). */
  ledger: z.array(LedgerLine).optional(),
  /**
   * What the channel's reviewers made of it. This device keeps what it learns in the status book
   * (utils/status/book.ts) and readers join it in (`withReview`); stored in a record only when a
   * workspace import brought it, as the exporting device had learnt it.
   */
  review: ReviewStatus.optional(),
});
export type ReportRecord = z.infer<typeof ReportRecord>;
