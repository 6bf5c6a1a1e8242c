import type { FlaglineDB } from './db';
import type { EffectiveSettings } from './settings';
import type { FlushSummary } from './schema/messages';
import type { DeliveryError, LedgerEntry, ReportRecord } from './schema/record';
import { BatchResponse, type ReportResult } from './schema/wire';
import type { Clock } from './time';

/**
 * The outbox: every report waits in IndexedDB until the endpoint acknowledges it.
 *
 * Only the background worker flushes. A flush claims a batch by setting `sending` with a lease
 * owned by this worker instance; a later worker (the previous one was stopped, or the browser
 * closed) treats any other owner's lease as abandoned and puts the reports back to `waiting`
 * with the same id and body, so the endpoint's idempotency makes the resend harmless.
 */
export const OUTBOX_LIMITS = {
  batchSize: 20,
  /** Well under the 30 s after which Chromium stops a worker waiting on a fetch. */
  requestTimeoutMs: 20_000,
  leaseMs: 60_000,
  backoffBaseMs: 10_000,
  backoffCapMs: 60 * 60_000,
};

export interface OutboxDeps {
  db: FlaglineDB;
  fetch: typeof fetch;
  clock: Clock;
  /** Uniform in [0, 1): the jitter source. */
  random: () => number;
  /** Identifies this worker instance as lease owner. */
  workerId: string;
  getSettings: () => Promise<EffectiveSettings>;
  limits?: Partial<typeof OUTBOX_LIMITS>;
}

export interface FlushOptions {
  /** Retry now: ignore backoff, and give failed reports another try. */
  force?: boolean;
}

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export function backoffDelay(attempts: number, random: () => number, limits = OUTBOX_LIMITS): number {
  const ceiling = Math.min(limits.backoffCapMs, limits.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(1000, Math.floor(random() * ceiling));
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

type Outcome =
  | { kind: 'sent'; result: 'accepted' | 'duplicate'; receipt?: string }
  | { kind: 'failed'; error: DeliveryError }
  | { kind: 'retry'; error: DeliveryError; notBefore?: number };

export async function flushOutbox(deps: OutboxDeps, options: FlushOptions = {}): Promise<FlushSummary> {
  const limits = { ...OUTBOX_LIMITS, ...deps.limits };
  const summary: FlushSummary = { attempted: 0, sent: 0, failed: 0, retrying: 0 };
  const settings = await deps.getSettings();
  const tried = new Set<string>();
  if (options.force) await requeueFailed(deps);

  for (;;) {
    const batch = await claimBatch(deps, limits, tried, options.force ?? false);
    if (batch.length === 0) return summary;
    batch.forEach((record) => tried.add(record.id));
    summary.attempted += batch.length;
    const outcomes = await deliverBatch(deps, limits, settings, batch);
    await settle(deps, limits, settings.endpointUrl, batch, outcomes);
    for (const outcome of outcomes.values()) {
      if (outcome.kind === 'sent') summary.sent++;
      else if (outcome.kind === 'failed') summary.failed++;
      else summary.retrying++;
    }
  }
}

async function requeueFailed({ db, clock }: OutboxDeps): Promise<void> {
  await db.reports.where('status').equals('failed').modify({ status: 'waiting', nextAttemptAt: clock(), updatedAt: clock() });
}

/** Takes the next due reports under a lease, in one transaction, oldest first. */
async function claimBatch(deps: OutboxDeps, limits: typeof OUTBOX_LIMITS, tried: Set<string>, force: boolean): Promise<ReportRecord[]> {
  const { db, clock, workerId } = deps;
  return db.transaction('rw', db.reports, async () => {
    const now = clock();
    await db.reports
      .where('status')
      .equals('sending')
      .filter((r) => !r.lease || r.lease.owner !== workerId || r.lease.until <= now)
      .modify((r: ReportRecord) => {
        r.status = 'waiting';
        delete r.lease;
        r.updatedAt = now;
      });
    const due = await db.reports
      .where('status')
      .equals('waiting')
      .filter((r) => !tried.has(r.id) && (force || r.nextAttemptAt <= now))
      .sortBy('createdAt');
    const batch = due.slice(0, limits.batchSize);
    const lease = { owner: workerId, until: now + limits.leaseMs };
    for (const record of batch) {
      record.status = 'sending';
      record.lease = lease;
      record.updatedAt = now;
    }
    await db.reports.bulkPut(batch);
    return batch;
  });
}

async function deliverBatch(
  deps: OutboxDeps,
  limits: typeof OUTBOX_LIMITS,
  settings: EffectiveSettings,
  batch: ReportRecord[],
): Promise<Map<string, Outcome>> {
  const all = (outcome: Outcome) => new Map(batch.map((r) => [r.id, outcome]));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (settings.accessToken) headers.Authorization = `Bearer ${settings.accessToken}`;
  let response: Response;
  try {
    response = await deps.fetch(settings.endpointUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ reports: batch.map((r) => r.report) }),
      signal: AbortSignal.timeout(limits.requestTimeoutMs),
      credentials: 'omit',
      cache: 'no-store',
      // Report data goes to the configured endpoint only, never where a redirect points.
      redirect: 'error',
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return all({
      kind: 'retry',
      error: { kind: timedOut ? 'timeout' : 'network', detail: errorDetail(error), at: deps.clock() },
    });
  }

  const text = await response.text().catch(() => '');
  const now = deps.clock();
  if (response.ok) return perReportOutcomes(batch, text, now);
  const error: DeliveryError = { kind: 'http', status: response.status, detail: reasonFromBody(text), at: now };
  if (isRetryableStatus(response.status)) {
    const wait = parseRetryAfter(response.headers.get('Retry-After'), now);
    return all({ kind: 'retry', error, ...(wait === undefined ? {} : { notBefore: now + wait }) });
  }
  return all({ kind: 'failed', error });
}

/** A 2xx: per-report results when the endpoint gives them; a bare 2xx means all accepted. */
function perReportOutcomes(batch: ReportRecord[], text: string, now: number): Map<string, Outcome> {
  let results: ReportResult[] | undefined;
  if (text.trim()) {
    try {
      const parsed = BatchResponse.safeParse(JSON.parse(text));
      results = parsed.success ? parsed.data.results : undefined;
    } catch {
      results = undefined;
    }
  }
  const byId = new Map(results?.map((r) => [r.id, r]));
  return new Map(
    batch.map((record): [string, Outcome] => {
      if (!results) return [record.id, { kind: 'sent', result: 'accepted' }];
      const result = byId.get(record.id);
      if (!result) return [record.id, { kind: 'retry', error: { kind: 'unconfirmed', at: now } }];
      if (result.status === 'rejected') {
        return [record.id, { kind: 'failed', error: { kind: 'rejected', detail: result.reason ?? '', at: now } }];
      }
      return [record.id, { kind: 'sent', result: result.status, ...(result.receipt ? { receipt: result.receipt } : {}) }];
    }),
  );
}

/** Records each outcome and its ledger line, but only for reports this worker still holds. */
async function settle(
  deps: OutboxDeps,
  limits: typeof OUTBOX_LIMITS,
  endpoint: string,
  batch: ReportRecord[],
  outcomes: Map<string, Outcome>,
): Promise<void> {
  const { db, clock, workerId, random } = deps;
  await db.transaction('rw', db.reports, db.ledger, async () => {
    const now = clock();
    const ledger: LedgerEntry[] = [];
    for (const claimed of batch) {
      const record = await db.reports.get(claimed.id);
      const outcome = outcomes.get(claimed.id);
      if (!record || !outcome || record.status !== 'sending' || record.lease?.owner !== workerId) continue;
      delete record.lease;
      record.attempts += 1;
      record.updatedAt = now;
      record.endpoint = endpoint;
      if (outcome.kind === 'sent') {
        record.status = 'sent';
        record.sentAt = now;
        delete record.lastError;
        if (outcome.receipt) record.receipt = outcome.receipt;
        ledger.push({ reportId: record.id, at: now, endpoint, outcome: outcome.result, ...receiptField(outcome.receipt) });
      } else {
        record.lastError = outcome.error;
        if (outcome.kind === 'failed') {
          record.status = 'failed';
        } else {
          record.status = 'waiting';
          record.nextAttemptAt = Math.max(now + backoffDelay(record.attempts, random, limits), outcome.notBefore ?? 0);
        }
        ledger.push({
          reportId: record.id,
          at: now,
          endpoint,
          outcome: outcome.kind === 'failed' ? 'rejected' : 'retry',
          ...(outcome.error.status === undefined ? {} : { httpStatus: outcome.error.status }),
          detail: outcome.error.detail ?? outcome.error.kind,
        });
      }
      await db.reports.put(record);
    }
    await db.ledger.bulkAdd(ledger);
  });
}

const receiptField = (receipt?: string) => (receipt ? { receipt } : {});

function errorDetail(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}

/** A short human-readable reason from an error body: JSON `reason`/`error`/`message`, else text. */
export function reasonFromBody(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['reason', 'error', 'message']) {
      if (typeof body[key] === 'string') return (body[key] as string).slice(0, 500);
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** When the outbox next needs a worker: the earliest retry or lease expiry, if any. */
export async function nextWakeAt(db: FlaglineDB): Promise<number | undefined> {
  const [waiting, sending] = await Promise.all([
    db.reports.where('status').equals('waiting').toArray(),
    db.reports.where('status').equals('sending').toArray(),
  ]);
  const times = [...waiting.map((r) => r.nextAttemptAt), ...sending.map((r) => r.lease?.until ?? 0)];
  return times.length ? Math.min(...times) : undefined;
}

export interface AlarmScheduler {
  create(name: string, info: { when: number }): Promise<void> | void;
  clear(name: string): Promise<boolean> | void;
}

export const OUTBOX_ALARM = 'flagline-outbox';
/** Chromium's shortest alarm delay for packed extensions. */
const WATCHDOG_MS = 30_000;

/**
 * One flush at a time: a request made while a flush runs is coalesced into one follow-up run,
 * so a report saved mid-flush is never left behind. After every run the alarm is set for the
 * next due time — alarms may be cleared by a browser restart, so every worker start flushes too.
 */
export function createOutboxRunner(deps: OutboxDeps & { alarms: AlarmScheduler }) {
  let current: Promise<FlushSummary> | undefined;
  let followUp: Promise<FlushSummary> | undefined;
  let followUpForce = false;

  async function run(force: boolean): Promise<FlushSummary> {
    try {
      // If this worker dies mid-flush, the alarm wakes a new one, which takes back the leases.
      await deps.alarms.create(OUTBOX_ALARM, { when: deps.clock() + WATCHDOG_MS });
      return await flushOutbox(deps, { force });
    } finally {
      const wake = await nextWakeAt(deps.db);
      if (wake === undefined) await deps.alarms.clear(OUTBOX_ALARM);
      else await deps.alarms.create(OUTBOX_ALARM, { when: Math.max(wake, deps.clock() + 1000) });
    }
  }

  function flush(options: FlushOptions = {}): Promise<FlushSummary> {
    if (!current) {
      current = run(options.force ?? false).finally(() => {
        current = undefined;
      });
      return current;
    }
    followUpForce ||= options.force ?? false;
    followUp ??= current
      .catch(() => undefined)
      .then(() => {
        const force = followUpForce;
        followUp = undefined;
        followUpForce = false;
        return flush({ force });
      });
    return followUp;
  }

  return { flush };
}
