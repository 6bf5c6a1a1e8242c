/**
 * The Desk's tables as Kysely sees them. One schema for both engines (SQLite and PostgreSQL):
 * times are ISO 8601 UTC strings (they sort as text), booleans are 0/1 integers, JSON is text,
 * evidence bytes are BLOB / BYTEA (`Buffer` in Node). `desk/store/migrations.ts` creates them.
 */
import type { Selectable } from 'kysely';
import type { NotifierTables } from './notifier-table';

export interface ChannelTable {
  id: string;
  name: string;
  /** SHA-256 (hex) of the bearer token; the token itself is shown once, at creation. */
  token_hash: string;
  /** `whsec_…` Standard Webhooks secret, or null when the channel does not sign. */
  signing_secret: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface ReportTable {
  id: string;
  /** The channel the first revision came through. */
  channel_id: string;
  receipt: string;
  /** When the first revision arrived. */
  received_at: string;
  /** When the current revision arrived. */
  updated_at: string;
  /** The current (highest) revision. */
  revision: number;
  /** Review state; only `new` until the reviewers' desk sets others. */
  state: string;
  category: string;
  url: string;
}

export interface ReportRevisionTable {
  report_id: string;
  revision: number;
  /** SHA-256 of the canonical JSON of the body as received (evidence bytes included). */
  body_hash: string;
  /** The body as received, with each artifact's bytes replaced by its blob (see report_artifacts). */
  body: string;
  channel_id: string;
  received_at: string;
}

export interface EvidenceBlobTable {
  /** Content address: SHA-256 of `bytes`, recomputed by the Desk (never taken from the sender). */
  sha256: string;
  size: number;
  bytes: Buffer;
}

export interface ReportArtifactTable {
  report_id: string;
  revision: number;
  name: string;
  media_type: string;
  sha256: string;
  size: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** A signed request already taken (desk/store/replay.ts). */
export interface SeenSignatureTable {
  channel_id: string;
  webhook_id: string;
  webhook_timestamp: string;
  expires_at: string;
}

export interface DeskTables extends NotifierTables {
  channels: ChannelTable;
  reports: ReportTable;
  report_revisions: ReportRevisionTable;
  evidence_blobs: EvidenceBlobTable;
  report_artifacts: ReportArtifactTable;
  desk_meta: MetaTable;
  seen_signatures: SeenSignatureTable;
}

export type Channel = Selectable<ChannelTable>;
