/**
 * The outbox: every report waits in IndexedDB until the endpoint acknowledges it. One file per
 * step, in the order of a flush:
 *
 * | step | file | what the protocol says (docs/protocol.md) |
 * |---|---|---|
 * | limits | `limits.ts` | batch size and bytes, timeouts, lease, backoff base/cap, concurrency |
 * | claim | `claim.ts` | due reports oldest first, under a lease per batch; past the age limit → undelivered |
 * | send | `channel.ts` | POST `{ "reports": [...] }`, Bearer token, Standard Webhooks signature |
 * | answer | `channel.ts` | 2xx → per-report results (bare 2xx: all accepted); 410 → pause; 408, 429, 5xx, network → retry; other 4xx → failed |
 * | wait | `backoff.ts` | exponential backoff with full jitter, honouring `Retry-After` |
 * | record | `settle.ts` | each answer into the record and its ledger, through utils/reports/lifecycle.ts |
 * | pause | `pause.ts` | after a 410, until the user saves settings or retries |
 * | retry | `retry.ts` | the user's Retry (one report, or all failed on a forced flush) |
 * | run | `flush.ts`, `runner.ts` | one flush at a time (Web Lock), the alarm for the next due time |
 *
 * Only the background worker flushes. A flush claims a batch under one lease row owned by this
 * worker instance (the reports stay `waiting`; the lease makes them `sending` to the user and
 * read-only to editors); a later worker (the previous one was stopped, or the browser closed)
 * treats any other owner's lease as abandoned, freezes the bodies, and resends them with the
 * same ids, so the endpoint's idempotency makes the resend harmless.
 *
 * A batch the endpoint acknowledged in full is recorded as one write to its lease row, and the
 * flush's caller hears then; the acknowledgements are applied to the report records right after
 * (`applyAcknowledged`). Writing each record costs about as much IndexedDB time as sending it,
 * so the wire no longer waits for it; readers show those reports as sent meanwhile
 * (utils/leases.ts), and a worker that dies in between leaves them to the next flush.
 */
export { backoffDelay, parseRetryAfter } from './backoff';
export { batchBody } from './claim';
export { deliverOutbox, flushOutbox } from './flush';
export { OUTBOX_LIMITS, type FlushOptions, type OutboxDeps, type OutboxLimits } from './limits';
export { getDeliveryPause, PAUSE_KEY } from './pause';
export { retryReport } from './retry';
export { createOutboxRunner, OUTBOX_ALARM, type LockManagerLike } from './runner';
export { applyAcknowledged } from './settle';
