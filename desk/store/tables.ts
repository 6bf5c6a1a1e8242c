/**
 * The Desk's tables as Kysely sees them. One schema for both engines (SQLite and PostgreSQL):
 * times are ISO 8601 UTC strings (they sort as text), booleans are 0/1 integers, JSON is text,
 * evidence bytes are BLOB / BYTEA (`Buffer` in Node). `desk/store/migrations.ts` creates them.
 */
import type { Generated, Selectable } from 'kysely';
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
  /** Reports about the same thing (same canonical URL or captured text); see desk/store/clusters.ts. */
  cluster_id: string;
  /** The current revision's page title and sub-reason, for the queue without parsing bodies. */
  title: string;
  sub_reason: string | null;
  // The review, written to every report of a cluster at once (desk/store/review.ts).
  assignee_id: string | null;
  outcome: string | null;
  /** What the reporter sees on the status endpoints. */
  public_note: string | null;
  /** Reviewers only; never on a reporter-facing route. */
  internal_note: string | null;
  decided_at: string | null;
  decided_by: string | null;
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

export interface UserTable {
  id: string;
  email: string;
  /** `scrypt$N$r$p$salt$hash` (desk/auth/password.ts). */
  password_hash: string;
  role: string;
  disabled: number;
  created_at: string;
  last_sign_in_at: string | null;
}

export interface UserChannelTable {
  user_id: string;
  channel_id: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie's session id: a copy of the database does not sign anyone in. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface SignInThrottleTable {
  /** `email:<address>` or `addr:<remote address>`. */
  key: string;
  failures: number;
  last_failure_at: string;
  blocked_until: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  subject: string | null;
  /** JSON object. */
  detail: string;
}

export interface ClusterKeyTable {
  /** `url:<canonical URL>` or `text:<sha256 of the normalised captured text>`. */
  key: string;
  cluster_id: string;
}

export interface HandoffTable {
  id: string;
  report_id: string;
  cluster_id: string;
  /** An official channel's id from the shared channel catalogue. */
  channel_id: string;
  at: string;
  by_id: string;
  case_number: string | null;
  note: string | null;
}

export interface SearchPostingTable {
  term: string;
  report_id: string;
  received_at: string;
}

export interface DeskTables extends NotifierTables {
  channels: ChannelTable;
  reports: ReportTable;
  report_revisions: ReportRevisionTable;
  evidence_blobs: EvidenceBlobTable;
  report_artifacts: ReportArtifactTable;
  desk_meta: MetaTable;
  seen_signatures: SeenSignatureTable;
  users: UserTable;
  user_channels: UserChannelTable;
  sessions: SessionTable;
  sign_in_throttle: SignInThrottleTable;
  audit_log: AuditLogTable;
  cluster_keys: ClusterKeyTable;
  handoffs: HandoffTable;
  search_postings: SearchPostingTable;
}

export type Channel = Selectable<ChannelTable>;
export type User = Selectable<UserTable>;
