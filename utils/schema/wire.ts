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
});
export type ReportResult = z.infer<typeof ReportResult>;

/** An endpoint may answer per report. A bare 2xx (no body, or no `results`) means all accepted. */
export const REPORT_STATES = ['new', 'in_review', 'forwarded', 'closed'] as const;
export const ReportState = z.enum(REPORT_STATES);

/** `GET <endpoint>/{id}/status` with `Authorization: Bearer <statusToken>` answers this. */
export const ReportStatus = z.object({
  id: ReportId,
  state: ReportState,
  updatedAt: z.string().max(64),
});
export type ReportStatus = z.infer<typeof ReportStatus>;

export const BatchResponse = z.object({
  results: z.array(ReportResult).optional(),
});
export type BatchResponse = z.infer<typeof BatchResponse>;
