import Dexie from 'dexie';
import type { FlaglineDB } from './db';
import type { EffectiveSettings } from './settings';
import type { FlushSummary } from './schema/messages';
import type { DeliveryError, LedgerEntry, ReportRecord } from './schema/record';
import { BatchResponse, type ReportResult } from './schema/wire';
import { markOffline, noteConnectivity } from './connectivity';
import { sha256Hex, signatureHeaders } from './signature';
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
  /** Overrides `settings.batchSize` when set (tests, bench). */
  batchSize: undefined as number | undefined,
  /** Overrides `settings.batchMaxBytes` when set. */
  batchMaxBytes: undefined as number | undefined,
  /** Well under the 30 s after which Chromium stops a worker waiting on a fetch. */
  requestTimeoutMs: 20_000,
  /** The `no-cors` reachability probe after a failed fetch. */
  probeTimeoutMs: 5_000,
  leaseMs: 60_000,
  backoffBaseMs: 10_000,
  backoffCapMs: 60 * 60_000,
  /** The shortest wait between attempts, whatever the jitter draws. */
  backoffFloorMs: 1000,
  /** Requests in flight at once within one flush (the next batch is claimed meanwhile). */
  concurrency: 2,
  /** While the device is offline, how often the alarm wakes the worker to look (utils/connectivity.ts). */
  offlinePollMs: 30_000,
};
export type OutboxLimits = typeof OUTBOX_LIMITS;

const DAY_MS = 24 * 60 * 60_000;
/** keyValue row that pauses the channel after a 410 Gone, until the user saves settings or retries. */
export const PAUSE_KEY = 'delivery.paused';

export interface DeliveryPause {
  endpoint: string;
  at: number;
  status: number;
  detail?: string;
}

export interface OutboxDeps {
  db: FlaglineDB;
  fetch: typeof fetch;
  clock: Clock;
  /** Uniform in [0, 1): the jitter source. */
  random: () => number;
  /** Identifies this worker instance as lease owner. */
  workerId: string;
  getSettings: () => Promise<EffectiveSettings>;
  limits?: Partial<OutboxLimits>;
}

export interface FlushOptions {
  /** Retry now: ignore backoff, give failed and undelivered reports another try, resume a paused channel. */
  force?: boolean;
  /** Resume a channel paused by 410 (the user saved settings or asked to retry one report). */
  resume?: boolean;
}

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export function backoffDelay(attempts: number, random: () => number, limits: OutboxLimits = OUTBOX_LIMITS): number {
  const ceiling = Math.min(limits.backoffCapMs, limits.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(limits.backoffFloorMs, Math.floor(random() * ceiling));
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

export async function getDeliveryPause(db: FlaglineDB): Promise<DeliveryPause | undefined> {
  return (await db.keyValue.get(PAUSE_KEY))?.value as DeliveryPause | undefined;
}

export async function flushOutbox(deps: OutboxDeps, options: FlushOptions = {}): Promise<FlushSummary> {
  const limits = { ...OUTBOX_LIMITS, ...deps.limits };
  const summary: FlushSummary = { attempted: 0, sent: 0, failed: 0, retrying: 0 };
  const settings = await deps.getSettings();
  const secrets = [settings.accessToken, settings.signingSecret].filter((s) => s.length >= 4);
  const tried = new Set<string>();
  if (options.force) await requeueFailed(deps);
  if (options.force || options.resume) await deps.db.keyValue.delete(PAUSE_KEY);
  const pause = await getDeliveryPause(deps.db);
  if (pause) {
    // A pause belongs to the endpoint that said 410; a new endpoint starts unpaused.
    if (pause.endpoint === settings.endpointUrl) return { ...summary, paused: true };
    await deps.db.keyValue.delete(PAUSE_KEY);
  }

  // Leases of a worker that died (or our own that expired) are taken back once, before claiming.
  await takeBackAbandoned(deps);

  // Up to `concurrency` requests in flight: while one batch is on the wire the other lane settles
  // its answered batch and claims the next, so database work overlaps the network. Each lane
  // settles its previous batch and claims the next in ONE transaction: IndexedDB runs the
  // outbox's read-write transactions one after another, so their number and size, not the
  // network, bound a large flush. Transactions never let two lanes take the same report.
  let gone: DeliveryError | undefined;
  const lane = async () => {
    let answered: { batch: ReportRecord[]; outcomes: Map<string, Outcome> } | undefined;
    for (;;) {
      const settling = answered;
      const batch = await deps.db.transaction('rw', deps.db.reports, deps.db.ledger, async () => {
        if (settling) await settle(deps, limits, settings.endpointUrl, settling.batch, settling.outcomes);
        return gone ? [] : claimBatch(deps, limits, settings, tried, options.force ?? false);
      });
      answered = undefined;
      if (batch.length === 0) return;
      batch.forEach((record) => tried.add(record.id));
      summary.attempted += batch.length;
      const outcomes = await deliverBatch(deps, limits, settings, batch, secrets);
      for (const outcome of outcomes.values()) {
        if (outcome.kind === 'sent') summary.sent++;
        else if (outcome.kind === 'failed') summary.failed++;
        else summary.retrying++;
        if (outcome.kind === 'retry' && outcome.error.kind === 'gone') gone = outcome.error;
      }
      answered = { batch, outcomes };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limits.concurrency) }, lane));
  if (!gone) return summary;
  const value: DeliveryPause = { endpoint: settings.endpointUrl, at: gone.at, status: gone.status ?? 410, ...(gone.detail ? { detail: gone.detail } : {}) };
  await deps.db.keyValue.put({ key: PAUSE_KEY, value });
  return { ...summary, paused: true };
}

async function requeueFailed({ db, clock }: OutboxDeps): Promise<void> {
  const now = clock();
  await db.reports.where('status').anyOf('failed', 'undelivered').modify({ status: 'waiting', nextAttemptAt: now, updatedAt: now, retriedAt: now });
}

/**
 * One-click retry of one report: a failed or undelivered report waits again (its age limit
 * counts from now), a backing-off one is due at once. A sent report is left alone.
 */
export async function retryReport(db: FlaglineDB, id: string, clock: Clock): Promise<ReportRecord | undefined> {
  return db.transaction('rw', db.reports, async () => {
    const record = await db.reports.get(id);
    if (!record) return undefined;
    const now = clock();
    if (record.status === 'failed' || record.status === 'undelivered') {
      record.status = 'waiting';
      record.retriedAt = now;
    }
    if (record.status === 'waiting') {
      record.nextAttemptAt = now;
      record.updatedAt = now;
      await db.reports.put(record);
    }
    return record;
  });
}

/** Bytes of `{"reports":[a,b,…]}` for these frozen report bodies. */
const ENVELOPE_BYTES = '{"reports":[]}'.length;
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** Builds the request body from the frozen report bodies: the bytes are exactly those stored. */
export function batchBody(wireBodies: string[]): string {
  return `{"reports":[${wireBodies.join(',')}]}`;
}

/**
 * Puts reports another worker left `sending` (it was stopped, or the browser closed) back to
 * `waiting` with the same id and frozen body, and our own leases that expired. Runs at the start
 * of every flush; during a flush no other worker claims (the Web Lock), so once is enough.
 */
async function takeBackAbandoned({ db, clock, workerId }: OutboxDeps): Promise<void> {
  await db.transaction('rw', db.reports, async () => {
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
  });
}

/**
 * Takes the next due reports under a lease, in one transaction, oldest first: at most the batch
 * size, and at most the byte limit (a single report larger than the limit goes alone). Reports
 * past the age limit become `undelivered` instead. Each claimed report's body is frozen here.
 */
async function claimBatch(
  deps: OutboxDeps,
  limits: OutboxLimits,
  settings: EffectiveSettings,
  tried: Set<string>,
  force: boolean,
): Promise<ReportRecord[]> {
  const { db, clock, workerId } = deps;
  const maxCount = limits.batchSize ?? settings.batchSize;
  const maxBytes = limits.batchMaxBytes ?? settings.batchMaxBytes;
  const maxAgeMs = settings.maxAgeDays * DAY_MS;
  return db.transaction('rw', db.reports, db.ledger, async () => {
    const now = clock();
    // Oldest first, straight from the [status+createdAt] index. The first page is one getAll()
    // (no cursor round trips); only when it holds too few due reports does a filtered scan run.
    const isDue = (r: ReportRecord) => !tried.has(r.id) && (force || r.nextAttemptAt <= now);
    const waiting = () => db.reports.where('[status+createdAt]').between(['waiting', Dexie.minKey], ['waiting', Dexie.maxKey]);
    // A little more than one batch: reports backing off after a failure are usually few, and
    // every record read here costs as much as the network time it would save.
    const pageSize = maxCount + Math.ceil(maxCount / 10);
    const page = await waiting().limit(pageSize).toArray();
    let due = page.filter(isDue).slice(0, maxCount);
    if (due.length < maxCount && page.length === pageSize) due = await waiting().filter(isDue).limit(maxCount).toArray();
    const batch: ReportRecord[] = [];
    const expired: ReportRecord[] = [];
    let bytes = ENVELOPE_BYTES;
    for (const record of due) {
      if (batch.length >= maxCount) break;
      if ((record.retriedAt ?? record.createdAt) + maxAgeMs <= now) {
        expired.push(record);
        continue;
      }
      record.wireBody ??= JSON.stringify(record.report);
      const size = utf8Length(record.wireBody) + (batch.length ? 1 : 0);
      if (batch.length > 0 && bytes + size > maxBytes) break;
      bytes += size;
      batch.push(record);
    }
    for (const record of expired) {
      record.status = 'undelivered';
      record.updatedAt = now;
      record.lastError = { kind: 'expired', detail: String(settings.maxAgeDays), at: now };
    }
    const lease = { owner: workerId, until: now + limits.leaseMs };
    for (const record of batch) {
      record.status = 'sending';
      record.lease = lease;
      record.updatedAt = now;
    }
    await db.reports.bulkPut([...expired, ...batch]);
    if (expired.length) {
      await db.ledger.bulkAdd(
        expired.map((r) => ({ reportId: r.id, at: now, endpoint: settings.endpointUrl, outcome: 'undelivered' as const, detail: `older than ${settings.maxAgeDays} days` })),
      );
    }
    return batch;
  });
}

/** Replaces every secret in text meant for the user, the ledger or logs. */
function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/**
 * Tells a CORS refusal from an unreachable server: a `no-cors` request cannot read the answer,
 * but it resolves when the server answered at all. Reachable + failed fetch = CORS (or another
 * policy block), which host permission for that origin fixes.
 */
async function probeReachable(deps: OutboxDeps, limits: OutboxLimits, endpoint: string): Promise<boolean> {
  try {
    await deps.fetch(endpoint, {
      method: 'GET',
      mode: 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
      // No report data and no credentials go with the probe. (`redirect: 'manual'` is not
      // allowed with `no-cors`: Chromium fails such a fetch at once.)
      signal: AbortSignal.timeout(limits.probeTimeoutMs),
    });
    return true;
  } catch {
    return false;
  }
}

async function deliverBatch(
  deps: OutboxDeps,
  limits: OutboxLimits,
  settings: EffectiveSettings,
  batch: ReportRecord[],
  secrets: string[],
): Promise<Map<string, Outcome>> {
  const all = (outcome: Outcome) => new Map(batch.map((r) => [r.id, outcome]));
  const body = batchBody(batch.map((r) => r.wireBody ?? JSON.stringify(r.report)));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (settings.accessToken) headers.Authorization = `Bearer ${settings.accessToken}`;
  if (settings.signingSecret) {
    // The message id depends only on the exact body, so a resent batch keeps its webhook-id.
    const messageId = `msg_${(await sha256Hex(body)).slice(0, 32)}`;
    Object.assign(headers, await signatureHeaders(settings.signingSecret, messageId, deps.clock() / 1000, body));
  }
  let response: Response;
  try {
    response = await deps.fetch(settings.endpointUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(limits.requestTimeoutMs),
      credentials: 'omit',
      cache: 'no-store',
      // Report data goes to the configured endpoint only, never where a redirect points.
      redirect: 'error',
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    let kind: DeliveryError['kind'] = timedOut ? 'timeout' : 'network';
    if (!timedOut && error instanceof TypeError && (await probeReachable(deps, limits, settings.endpointUrl))) kind = 'cors';
    return all({ kind: 'retry', error: { kind, detail: redact(errorDetail(error), secrets), at: deps.clock() } });
  }

  const text = await response.text().catch(() => '');
  const now = deps.clock();
  if (response.ok) return perReportOutcomes(batch, text, now, secrets);
  const detail = redact(reasonFromBody(text), secrets);
  if (response.status === 410) return all({ kind: 'retry', error: { kind: 'gone', status: 410, detail, at: now } });
  const error: DeliveryError = { kind: 'http', status: response.status, detail, at: now };
  if (isRetryableStatus(response.status)) {
    const wait = parseRetryAfter(response.headers.get('Retry-After'), now);
    return all({ kind: 'retry', error, ...(wait === undefined ? {} : { notBefore: now + wait }) });
  }
  return all({ kind: 'failed', error });
}

/** A 2xx: per-report results when the endpoint gives them; a bare 2xx means all accepted. */
function perReportOutcomes(batch: ReportRecord[], text: string, now: number, secrets: string[]): Map<string, Outcome> {
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
        return [record.id, { kind: 'failed', error: { kind: 'rejected', detail: redact(result.reason ?? '', secrets), at: now } }];
      }
      return [record.id, { kind: 'sent', result: result.status, ...(result.receipt ? { receipt: result.receipt } : {}) }];
    }),
  );
}

/** Records each outcome and its ledger line, but only for reports this worker still holds. */
async function settle(
  deps: OutboxDeps,
  limits: OutboxLimits,
  endpoint: string,
  batch: ReportRecord[],
  outcomes: Map<string, Outcome>,
): Promise<void> {
  const { db, clock, workerId, random } = deps;
  await db.transaction('rw', db.reports, db.ledger, async () => {
    const now = clock();
    const ledger: LedgerEntry[] = [];
    const current = await db.reports.bulkGet(batch.map((r) => r.id));
    const updated: ReportRecord[] = [];
    for (const record of current) {
      const outcome = record && outcomes.get(record.id);
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
        } else if (outcome.error.kind === 'gone') {
          // The channel is paused: the report waits, due as soon as the user resumes it.
          record.status = 'waiting';
          record.nextAttemptAt = now;
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
      updated.push(record);
    }
    await db.reports.bulkPut(updated);
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
/** Web Locks name: one flush at a time across every context of the extension. */
export const OUTBOX_LOCK = 'flagline-outbox';
/** Chromium's shortest alarm delay for packed extensions. */
const WATCHDOG_MS = 30_000;

/** The part of the Web Locks API (`navigator.locks`) the runner uses. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * One flush at a time: within this context a request made while a flush runs is coalesced into
 * one follow-up run, so a report saved mid-flush is never left behind; across contexts the flush
 * holds the `flagline-outbox` Web Lock (and the per-report leases guard even without it). After
 * every run the alarm is set for the next due time — alarms may be cleared by a browser
 * restart, so every worker start flushes (and so re-creates it) too.
 */
export function createOutboxRunner(
  deps: OutboxDeps & {
    alarms: AlarmScheduler;
    locks?: LockManagerLike;
    /** `navigator.onLine`: the runner's stand-in for the `online` event (utils/connectivity.ts). */
    isOnline?: () => boolean;
  },
) {
  let current: Promise<FlushSummary> | undefined;
  let followUp: Promise<FlushSummary> | undefined;
  let followUpOptions: FlushOptions = {};

  async function run(options: FlushOptions): Promise<FlushSummary> {
    try {
      // If this worker dies mid-flush, the alarm wakes a new one, which takes back the leases.
      await deps.alarms.create(OUTBOX_ALARM, { when: deps.clock() + WATCHDOG_MS });
      if (deps.isOnline) await noteConnectivity(deps.db, deps.isOnline(), deps.clock);
      const flush = () => flushOutbox(deps, options);
      return await (deps.locks ? deps.locks.request(OUTBOX_LOCK, flush) : flush());
    } finally {
      let wake = (await getDeliveryPause(deps.db)) ? undefined : await nextWakeAt(deps.db);
      // Offline: look again soon, whatever the backoff says (Chromium gives workers no `online` event).
      if (deps.isOnline?.() === false) {
        await markOffline(deps.db, deps.clock);
        if (wake !== undefined) wake = Math.min(wake, deps.clock() + { ...OUTBOX_LIMITS, ...deps.limits }.offlinePollMs);
      }
      if (wake === undefined) await deps.alarms.clear(OUTBOX_ALARM);
      else await deps.alarms.create(OUTBOX_ALARM, { when: Math.max(wake, deps.clock() + 1000) });
    }
  }

  function flush(options: FlushOptions = {}): Promise<FlushSummary> {
    if (!current) {
      current = run(options).finally(() => {
        current = undefined;
      });
      return current;
    }
    followUpOptions = { force: followUpOptions.force || options.force, resume: followUpOptions.resume || options.resume };
    followUp ??= current
      .catch(() => undefined)
      .then(() => {
        const next = followUpOptions;
        followUp = undefined;
        followUpOptions = {};
        return flush(next);
      });
    return followUp;
  }

  return { flush };
}
