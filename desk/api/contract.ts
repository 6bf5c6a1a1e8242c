/**
 * The reviewers' API: the one contract between the Desk's server (`desk/api/…` routes) and its
 * web interface (`desk/ui/`). Every request body and every answer is one of these zod schemas;
 * the server parses what it receives and the UI parses what it gets back.
 *
 * Conventions:
 * - Everything lives under `/api/`, same origin as the UI, never with CORS.
 * - The session is an `HttpOnly; SameSite=Strict` cookie. Every request other than GET/HEAD
 *   carries the session's CSRF token in the `X-CSRF-Token` header (from `SessionInfo`), or is
 *   refused with 403.
 * - Errors answer `ApiError` with a status: 400 bad input (with `issues`), 401 no session,
 *   403 wrong role / CSRF / a report outside the reviewer's channels (answered as 404 for ids,
 *   so a reviewer cannot learn that an id exists), 404, 409 conflict, 429 slowed down (with
 *   `Retry-After`).
 * - Times are ISO 8601 UTC strings.
 */
import { z } from 'zod';
import { Report, ReportCategory } from '../../utils/schema/report';
import { PUBLIC_NOTE_MAX, ReportOutcome, ReportState } from '../../utils/schema/wire';

export const API_PREFIX = '/api';
export const CSRF_HEADER = 'x-csrf-token';

export const ApiError = z.object({
  /** A short English sentence; the UI shows its own translated message by `code`. */
  error: z.string(),
  code: z.enum(['bad_request', 'unauthenticated', 'forbidden', 'csrf', 'not_found', 'conflict', 'rate_limited', 'setup_done', 'server']),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

// ── Accounts and sessions ────────────────────────────────────────────────────────────────

export const Role = z.enum(['admin', 'reviewer']);
export type Role = z.infer<typeof Role>;

export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254));
/** Passwords: long enough to matter, short enough that scrypt cannot be made to hash megabytes. */
export const Password = z.string().min(10).max(256);

export const UserSummary = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  disabled: z.boolean(),
  /** Empty: sees every channel (the default for one team). */
  channelIds: z.array(z.string()),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

/** `GET /api/session` (200 or 401), and the answer to signing in. */
export const SessionInfo = z.object({
  user: z.object({ id: z.string(), email: z.string(), role: Role }),
  csrfToken: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** `POST /api/session` — sign in (no CSRF header: there is no session yet; rate-limited per email and per address). */
export const SignInRequest = z.object({ email: Email, password: z.string().min(1).max(256) });
/** `DELETE /api/session` — sign out. */

/** `GET /api/setup` answers `{ needed }`; `POST /api/setup` creates the first admin with the one-time token the CLI printed. */
export const SetupState = z.object({ needed: z.boolean() });
export const SetupRequest = z.object({ token: z.string().min(16).max(200), email: Email, password: Password });

/** `GET /api/users` (admin) → `UserList`; `POST /api/users` (admin) → `UserSummary`. */
export const UserList = z.object({ users: z.array(UserSummary) });
export type UserList = z.infer<typeof UserList>;
export const CreateUserRequest = z.object({ email: Email, role: Role, password: Password });
/** `PATCH /api/users/{id}` (admin) → `UserSummary`. */
export const UpdateUserRequest = z.object({
  role: Role.optional(),
  disabled: z.boolean().optional(),
  channelIds: z.array(z.string()).max(1000).optional(),
});

// ── The queue ────────────────────────────────────────────────────────────────────────────

export const QUEUE_PAGE_MAX = 100;
export const SEARCH_MAX = 200;

/** `GET /api/reports?…` — every field is an optional query parameter. */
export const QueueQuery = z.object({
  state: ReportState.optional(),
  category: ReportCategory.optional(),
  channel: z.string().max(100).optional(),
  /** A user id, or `none` for unassigned, or `me`. */
  assignee: z.string().max(100).optional(),
  /** Received at or after / before (ISO date or date-time). */
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  /** Full text over URL, title, captured text and explanation; two-character Chinese words work. */
  q: z.string().trim().max(SEARCH_MAX).optional(),
  /** Opaque, from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(QUEUE_PAGE_MAX).default(50),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const Assignee = z.object({ id: z.string(), email: z.string() }).nullable();

export const QueueRow = z.object({
  id: z.string(),
  receipt: z.string(),
  title: z.string(),
  url: z.string(),
  category: z.string(),
  subReason: z.string().nullable(),
  channelId: z.string(),
  channelName: z.string(),
  receivedAt: z.string(),
  state: ReportState,
  outcome: ReportOutcome.nullable(),
  assignee: Assignee,
  clusterId: z.string(),
  clusterSize: z.number().int().min(1),
});
export type QueueRow = z.infer<typeof QueueRow>;

/** Newest first (received_at, id). */
export const QueuePage = z.object({ rows: z.array(QueueRow), nextCursor: z.string().nullable() });
export type QueuePage = z.infer<typeof QueuePage>;

// ── One report ───────────────────────────────────────────────────────────────────────────

export const ArtifactView = z.object({
  name: z.string(),
  mediaType: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  /** The Desk recomputed the hash from the stored bytes and it matches what the reporter sent. */
  verified: z.boolean(),
  /** `GET` it for the bytes (same-origin, session; every fetch is an audited evidence view). */
  href: z.string(),
});

export const Handoff = z.object({
  id: z.string(),
  /** A channel id from the shared channel catalogue (e.g. `cac-12377-web`). */
  channelId: z.string(),
  at: z.string(),
  by: z.object({ id: z.string(), email: z.string() }),
  caseNumber: z.string().nullable(),
  note: z.string().nullable(),
});
export type Handoff = z.infer<typeof Handoff>;

export const Decision = z.object({
  state: ReportState,
  outcome: ReportOutcome.nullable(),
  publicNote: z.string().max(PUBLIC_NOTE_MAX).nullable(),
  internalNote: z.string().max(10_000).nullable(),
  assignee: Assignee,
  decidedAt: z.string().nullable(),
  decidedBy: z.object({ id: z.string(), email: z.string() }).nullable(),
});
export type Decision = z.infer<typeof Decision>;

/** `GET /api/reports/{id}` (audited as a view). */
export const ReportView = z.object({
  id: z.string(),
  receipt: z.string(),
  channel: z.object({ id: z.string(), name: z.string() }),
  receivedAt: z.string(),
  updatedAt: z.string(),
  revision: z.number().int(),
  decision: Decision,
  cluster: z.object({ id: z.string(), size: z.number().int(), reports: z.array(QueueRow).max(100) }),
  /** The current revision as the reporter sent it, evidence bytes left out (see `artifacts`). */
  report: Report.omit({ evidence: true }).extend({ evidence: z.unknown().optional() }),
  artifacts: z.array(ArtifactView),
  handoffs: z.array(Handoff),
});
export type ReportView = z.infer<typeof ReportView>;

/**
 * `POST /api/reports/{id}/decision`. Applies to every report in the report's cluster (the
 * reporters of each see the new state, outcome and public note on the status endpoints).
 * `outcome` is required when `state` is `closed` and must be absent otherwise.
 */
export const DecisionRequest = z
  .object({
    state: ReportState,
    outcome: ReportOutcome.optional(),
    publicNote: z.string().trim().max(PUBLIC_NOTE_MAX).optional(),
    internalNote: z.string().trim().max(10_000).optional(),
    /** A user id, or null to unassign; absent leaves it. */
    assigneeId: z.string().nullable().optional(),
  })
  .refine((d) => (d.state === 'closed') === (d.outcome !== undefined), { message: 'outcome goes with closed', path: ['outcome'] });
export type DecisionRequest = z.infer<typeof DecisionRequest>;

/** `POST /api/reports/{id}/assign` → `Decision`: assigns the report's whole cluster (null unassigns). */
export const AssignRequest = z.object({ assigneeId: z.string().min(1).max(100).nullable() });

/** `GET /api/assignees` (any signed-in user) → the enabled users a cluster can be assigned to. */
export const AssigneeList = z.object({ users: z.array(z.object({ id: z.string(), email: z.string() })) });
export type AssigneeList = z.infer<typeof AssigneeList>;

/** `POST /api/clusters/merge` → `{ clusterId }` (the first one survives). */
export const MergeRequest = z.object({ clusterIds: z.array(z.string()).min(2).max(100) });
/** `POST /api/reports/{id}/split` → `{ clusterId }`: the report leaves its cluster for a new one of its own. */
export const ClusterAnswer = z.object({ clusterId: z.string() });

/**
 * `POST /api/reports/{id}/handoffs` → `Handoff`: records that a reviewer handed the report's
 * cluster on to an official channel (the reviewer submits the channel's form; the Desk never does).
 * `GET /api/reports/{id}/handoff-packet?channel=ID` → a ZIP: `fields.txt` (each field the channel
 * asks for, ready to copy), the evidence files and `manifest.json` with their SHA-256.
 */
export const HandoffRequest = z.object({
  channelId: z.string().min(1).max(100),
  caseNumber: z.string().trim().max(200).optional(),
  note: z.string().trim().max(2000).optional(),
});

// ── Channels, notifications, audit, export (admin unless said) ──────────────────────────

export const ChannelSummary = z.object({
  id: z.string(),
  name: z.string(),
  endpoint: z.string(),
  signing: z.boolean(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  reportCount: z.number().int(),
});
export type ChannelSummary = z.infer<typeof ChannelSummary>;
/** `GET /api/channels` (reviewers see the channels they may see; for the queue filter). */
export const ChannelList = z.object({ channels: z.array(ChannelSummary) });
export type ChannelList = z.infer<typeof ChannelList>;
/** `POST /api/channels`. */
export const CreateChannelRequest = z.object({ name: z.string().trim().min(1).max(200), signing: z.boolean().default(false) });
/**
 * Answer to creating a channel and to `POST /api/channels/{id}/rotate`: the token is shown this
 * once (the Desk keeps only its hash), with the provisioning file the extension imports.
 */
export const ChannelSecret = z.object({
  channel: ChannelSummary,
  token: z.string(),
  signingSecret: z.string().nullable(),
  /** The extension's provisioning file (`utils/provisioning.ts` `ProvisioningFile`). */
  provisioning: z.record(z.string(), z.unknown()),
});
export type ChannelSecret = z.infer<typeof ChannelSecret>;
/** `POST /api/channels/{id}/revoke` → `ChannelSummary`. */

export const NotifierKind = z.enum(['dingtalk', 'wecom', 'feishu']);
export const Notifier = z.object({
  id: z.string(),
  kind: NotifierKind,
  name: z.string(),
  /** Shown with its secret part masked. */
  webhookUrl: z.string(),
  hasSecret: z.boolean(),
  createdAt: z.string(),
  lastSentAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type Notifier = z.infer<typeof Notifier>;
/** `GET /api/notifiers` → `{ notifiers }`; `POST /api/notifiers`; `DELETE /api/notifiers/{id}`; `POST /api/notifiers/{id}/test`. */
export const NotifierList = z.object({ notifiers: z.array(Notifier) });
export type NotifierList = z.infer<typeof NotifierList>;
export const CreateNotifierRequest = z.object({
  kind: NotifierKind,
  name: z.string().trim().min(1).max(200),
  webhookUrl: z.url({ protocol: /^https?$/ }).max(2000),
  /** DingTalk `SEC…` / Feishu signing secret, when the robot has signing on. */
  secret: z.string().trim().max(200).optional(),
});
/**
 * `POST /api/notifiers/{id}/test` → whether the robot took the test message (200 either way: the
 * robot refusing is news about the robot, not a failed request), the platform's reason when not,
 * and the notifier as it stands now (its `lastSentAt` / `lastError`).
 */
export const NotifierTestResult = z.object({
  sent: z.boolean(),
  /** Held back or refused as too fast: try again in a minute. */
  rateLimited: z.boolean(),
  error: z.string().nullable(),
  notifier: Notifier,
});
export type NotifierTestResult = z.infer<typeof NotifierTestResult>;

export const AuditAction = z.enum([
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'view_report',
  'view_evidence',
  'decide',
  'assign',
  'merge',
  'split',
  'handoff',
  'export',
  'user_create',
  'user_update',
  'channel_create',
  'channel_revoke',
  'channel_rotate',
  'notifier_create',
  'notifier_delete',
  'setup',
]);
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), email: z.string() }).nullable(),
  action: AuditAction,
  /** What it was done to: a report id, user id, channel id… */
  subject: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
/** `GET /api/audit?cursor=` (admin) → newest first. */
export const AuditPage = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

/**
 * `GET /api/export.csv?…` and `GET /api/export.json?…` take the queue's filters (no cursor) and
 * answer every matching report (reviewers: their channels only); audited.
 */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
