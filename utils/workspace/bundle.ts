import { z } from 'zod';
import { IsoDateTime } from '../schema/common';
import { Report } from '../schema/report';
import { DeliveryError, DeliveryStatus, LedgerLine, ReviewStatus } from '../schema/record';
import { ARTIFACT_NAME } from './evidence';

/**
 * The ZIP evidence bundle's `manifest.json`: every report with its delivery record, ledger and
 * evidence list (each artifact's path, media type, size and SHA-256). Import re-checks every
 * hash against the bytes in the bundle and refuses the file on any mismatch.
 */
export const BUNDLE_FORMAT = 'flagline-evidence-bundle';
export const BUNDLE_VERSION = 1;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A bundle is a file from anywhere: every string and array in it is capped, beyond what this
 * extension's own records need (an export always imports back).
 */
export const BUNDLE_MAX_REPORTS = 100_000;
export const BUNDLE_MAX_LEDGER_LINES = 10_000;
const BundleLedgerLine = LedgerLine.extend({
  endpoint: z.string().max(8192),
  detail: z.string().max(4000).optional(),
  receipt: z.string().max(200).optional(),
});

export const BundleArtifact = z.object({
  name: z.string().regex(ARTIFACT_NAME),
  path: z.string().max(300),
  mediaType: z.string().max(200),
  size: z.number().int().nonnegative(),
  sha256: Sha256,
  capturedAt: IsoDateTime.optional(),
});
export type BundleArtifact = z.infer<typeof BundleArtifact>;

export const BundleEntry = z.object({
  report: Report,
  record: z.object({
    status: DeliveryStatus,
    createdAt: z.number(),
    updatedAt: z.number(),
    attempts: z.number().int().nonnegative(),
    sentAt: z.number().optional(),
    endpoint: z.string().max(8192).optional(),
    receipt: z.string().max(200).optional(),
    lastError: DeliveryError.optional(),
    duplicateAck: z.boolean().optional(),
    /** What the channel's reviewers made of it, when it said (the status token is never exported). */
    review: ReviewStatus.optional(),
  }),
  ledger: z.array(BundleLedgerLine).max(BUNDLE_MAX_LEDGER_LINES),
  artifacts: z.array(BundleArtifact).max(10),
});
export type BundleEntry = z.infer<typeof BundleEntry>;

export const BundleManifest = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  exportedAt: IsoDateTime,
  reports: z.array(BundleEntry).max(BUNDLE_MAX_REPORTS),
});
export type BundleManifest = z.infer<typeof BundleManifest>;

export const artifactPath = (reportId: string, name: string) => `evidence/${reportId}/${name}`;
