import { z } from 'zod';
import { Report } from './report';
import { ReportId } from './common';

/** The most reports one request may carry (the extension's `batchSize` setting has the same cap). */
export const BATCH_MAX_REPORTS = 500;

/** The request body an endpoint receives: `POST`, `Content-Type: application/json`. */
export const ReportBatch = z.object({
  reports: z.array(Report).min(1).max(BATCH_MAX_REPORTS),
});
export type ReportBatch = z.infer<typeof ReportBatch>;

export const ReportResultStatus = z.enum(['accepted', 'duplicate', 'rejected']);

export const ReportResult = z.object({
  id: ReportId,
  status: ReportResultStatus,
  /** Why a report was rejected, in words a user can act on. */
  reason: z.string().max(2000).optional(),
  /** The receiver's reference for the report, shown to the user. */
  receipt: z.string().max(200).optional(),
  /** When the receiver got it (ISO 8601). */
  receivedAt: z.string().max(64).optional(),
  /**
   * A secret the reporter's extension may present to ask what became of the report
   * (`GET <endpoint>/{id}/status`, docs/protocol.md "Status"). Optional: receivers without live
   * status send none, and extensions that do not know it ignore it.
   */
  statusToken: z.string().min(16).max(200).optional(),
  /**
   * Where to ask about many reports at once (`POST`, docs/protocol.md "Status"); absent means
   * `<endpoint>/status`. Only used when it has the endpoint's origin.
   */
  statusUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});
export type ReportResult = z.infer<typeof ReportResult>;

/** An endpoint may answer per report. A bare 2xx (no body, or no `results`) means all accepted. */
export const REPORT_STATES = ['new', 'in_review', 'forwarded', 'closed'] as const;
export const ReportState = z.enum(REPORT_STATES);

export type ReportState = z.infer<typeof ReportState>;

/** How reviewers closed a report; only a `closed` report has one. */
export const REPORT_OUTCOMES = ['removed', 'no_violation', 'referred', 'duplicate'] as const;
export const ReportOutcome = z.enum(REPORT_OUTCOMES);
export type ReportOutcome = z.infer<typeof ReportOutcome>;

/** What reviewers chose to tell the reporter; shown as text, never as HTML. */
export const PUBLIC_NOTE_MAX = 1000;

/** `GET <endpoint>/{id}/status` with `Authorization: Bearer <statusToken>` answers this. */
export const ReportStatus = z.object({
  id: ReportId,
  state: ReportState,
  outcome: ReportOutcome.optional(),
  publicNote: z.string().max(PUBLIC_NOTE_MAX).optional(),
  updatedAt: z.string().max(64),
});
export type ReportStatus = z.infer<typeof ReportStatus>;

/** The most reports one batch status request may ask about. */
export const STATUS_BATCH_MAX = 100;

/**
 * `POST <endpoint>/status` (for the Desk, `/v1/reports/status`): many reports at once, each with
 * its own status token; no `Authorization` header, no cookies, no report data.
 */
export const StatusBatchRequest = z.object({
  reports: z
    .array(z.object({ id: ReportId, token: z.string().min(16).max(200) }))
    .min(1)
    .max(STATUS_BATCH_MAX),
});
export type StatusBatchRequest = z.infer<typeof StatusBatchRequest>;

/** One result per known report whose token matched; unknown ids and wrong tokens are left out. */
export const StatusBatchResponse = z.object({
  results: z.array(ReportStatus).max(STATUS_BATCH_MAX),
});
export type StatusBatchResponse = z.infer<typeof StatusBatchResponse>;

export const BatchResponse = z.object({
  results: z.array(ReportResult).optional(),
});
export type BatchResponse = z.infer<typeof BatchResponse>;
