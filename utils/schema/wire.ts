import { z } from 'zod';
import { Report } from './report';
import { ReportId } from './common';

/** The request body an endpoint receives: `POST`, `Content-Type: application/json`. */
export const ReportBatch = z.object({
  reports: z.array(Report).min(1),
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
});
export type ReportResult = z.infer<typeof ReportResult>;

/** An endpoint may answer per report. A bare 2xx (no body, or no `results`) means all accepted. */
export const BatchResponse = z.object({
  results: z.array(ReportResult).optional(),
});
export type BatchResponse = z.infer<typeof BatchResponse>;
