import Dexie from 'dexie';
import type { FlaglineDB } from './db';
import type { EffectiveSettings } from './settings';
import type { FlushSummary } from './schema/messages';
import type { BatchLease, DeliveryError, LedgerLine, ReportRecord } from './schema/record';
import { BatchResponse, type ReportResult } from './schema/wire';
import { markOffline, noteConnectivity } from './connectivity';
import { applyAcknowledgement, leasedReportIds, leaseView } from './leases';
import { sha256Hex, signatureHeaders } from './signature';
import type { Clock } from './time';
import { retry } from './reports/lifecycle';

/**
 * The outbox: every report waits in IndexedDB until the endpoint acknowledges it.
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
  /** Requests in flight at once within one flush. */
  concurrency: 2,
  /** Batches claimed per claim transaction once the first requests are on the wire. */
  claimAheadBatches: 10,
  /** Claim the next window when no more than this many claimed batches wait to be sent. */
  claimAheadLowWater: 4,
  /** Answered batches recorded per settle transaction, at most. */
  settleBatchesPerTransaction: 4,
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

/**
 * Delivers what is due and records every answer, then applies the acknowledgements to the
 * report records ({@link applyAcknowledged}): when it returns, every record says what happened.
 */
export async function flushOutbox(deps: OutboxDeps, options: FlushOptions = {}): Promise<FlushSummary> {
  const summary = await deliverOutbox(deps, options);
  await applyAcknowledged(deps);
  return summary;
}

/**
 * Delivers what is due. When it returns every answer is recorded: a batch the endpoint
 * acknowledged in full as one write in its lease row (not yet applied to the records, see
 * {@link applyAcknowledged}), anything else in the records themselves.
 */
export async function deliverOutbox(deps: OutboxDeps, options: FlushOptions = {}): Promise<FlushSummary> {
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

  // The wire must never wait for the database. IndexedDB runs the outbox's read-write
  // transactions one after another, and recording the answers (a write per report) costs about
  // as much time as sending them. So three loops overlap:
  // - the claimer takes batches under lease a window ahead of the senders;
  // - `concurrency` senders post claimed batches, each as soon as the previous answer is in;
  // - the settler records answers as they come, several batches per transaction.
  // A report leaves the outbox only in the settler, after its answer; a worker that dies with
  // batches claimed or answered but not recorded leaves leases the next flush takes back.
  let gone: DeliveryError | undefined;
  const claims: ClaimState = { tried, after: undefined };
  const claimed: ClaimedBatch[] = [];
  let exhausted = false;
  let claiming: Promise<void> | undefined;
  const claimAhead = (count: number) => {
    claiming ??= (async () => {
      const window = await deps.db.transaction('rw', [deps.db.reports, deps.db.leases], async () => {
        return await claimWindow(deps, limits, settings, claims, count, options.force ?? false);
      });
      // Only once the leases are committed may their batches go on the wire; and only with them
      // in hand may a sender hear that nothing more is due (else it would end the flush while
      // the last batches are still committing, leaving them to the next flush).
      claimed.push(...window.batches);
      if (!window.more) exhausted = true;
    })().finally(() => {
      claiming = undefined;
    });
    return claiming;
  };
  // Windows grow (2, 4, 8, … up to claimAheadBatches): a small claim is quick, so the first
  // requests leave at once and the next window is ready before they are answered.
  let window = Math.max(1, limits.concurrency);
  const claimNextWindow = () => {
    window = Math.min(limits.claimAheadBatches, window * 2);
    return claimAhead(window);
  };
  const claimIfLow = () => {
    if (!gone && !exhausted && !claiming && claimed.length <= limits.claimAheadLowWater) void claimNextWindow().catch(() => undefined);
  };
  const nextBatch = async (): Promise<ClaimedBatch | undefined> => {
    for (;;) {
      if (gone) return undefined;
      claimIfLow();
      if (claimed.length) return claimed.shift();
      if (exhausted) return undefined;
      await (claiming ?? claimNextWindow());
    }
  };

  const answered: Array<{ batch: ClaimedBatch; outcomes: Map<string, Outcome> }> = [];
  let settling: Promise<void> | undefined;
  let settleFailure: { error: unknown } | undefined;
  const settleAnswered = () => {
    settling ??= (async () => {
      while (answered.length && !settleFailure) {
        // Claims go first: IndexedDB runs our transactions in the order they were made, and a
        // sender waiting for a claim stuck behind a settle would leave the wire idle.
        claimIfLow();
        if (claiming) await claiming.catch(() => undefined);
        const items = answered.splice(0, limits.settleBatchesPerTransaction);
        await deps.db
          .transaction('rw', [deps.db.reports, deps.db.leases], () => settle(deps, limits, settings.endpointUrl, items))
          .catch((error: unknown) => {
            // Those answers stay unrecorded: their leases lapse and the reports are sent again.
            settleFailure = { error };
          });
      }
    })().finally(() => {
      settling = undefined;
    });
    return settling;
  };

  const sender = async () => {
    for (let batch = await nextBatch(); batch; batch = await nextBatch()) {
      summary.attempted += batch.records.length;
      const outcomes = await deliverBatch(deps, limits, settings, batch, secrets);
      for (const outcome of outcomes.values()) {
        if (outcome.kind === 'sent') summary.sent++;
        else if (outcome.kind === 'failed') summary.failed++;
        else summary.retrying++;
        if (outcome.kind === 'retry' && outcome.error.kind === 'gone') gone = outcome.error;
      }
      answered.push({ batch, outcomes });
      void settleAnswered();
      if (settleFailure) return;
    }
  };

  // A sender's failure, thrown after every answer is recorded (a settle failure wins over it).
  let senderFailure: { reason: unknown } | undefined;
  try {
    await claimAhead(window);
    // Every sender finishes (its answer recorded below) even when another one failed.
    const senders = await Promise.allSettled(Array.from({ length: Math.max(1, limits.concurrency) }, sender));
    const failure = senders.find((result) => result.status === 'rejected');
    if (failure) senderFailure = { reason: failure.reason };
  } catch (error) {
    senderFailure = { reason: error };
  } finally {
    // Every answer is recorded before the flush ends…
    while ((answered.length && !settleFailure) || settling) await (settling ?? settleAnswered());
    await claiming?.catch(() => undefined);
    // …and batches claimed but never sent (the channel said 410, or a write failed) are
    // released as they were: their reports were never on the wire.
    if (claimed.length) await deps.db.leases.bulkDelete(claimed.splice(0).map((batch) => batch.lease.id));
  }
  if (settleFailure) throw settleFailure.error;
  if (senderFailure) throw senderFailure.reason;
  if (!gone) return summary;
  const value: DeliveryPause = { endpoint: settings.endpointUrl, at: gone.at, status: gone.status ?? 410, ...(gone.detail ? { detail: gone.detail } : {}) };
  await deps.db.keyValue.put({ key: PAUSE_KEY, value });
  return { ...summary, paused: true };
}

async function requeueFailed({ db, clock }: OutboxDeps): Promise<void> {
  const now = clock();
  await db.reports
    .where('status')
    .anyOf('failed', 'undelivered')
    .modify((record: ReportRecord) => {
      retry(record, now);
    });
}

/** One-click retry of one report (see `retry` in utils/reports/lifecycle.ts). A sent report is left alone. */
export async function retryReport(db: FlaglineDB, id: string, clock: Clock): Promise<ReportRecord | undefined> {
  return db.transaction('rw', db.reports, async () => {
    const record = await db.reports.get(id);
    if (!record) return undefined;
    if (retry(record, clock())) await db.reports.put(record);
    return record;
  });
}

/** Bytes of `{"reports":[a,b,…]}` for these frozen report bodies. */
const ENVELOPE_BYTES = '{"reports":[]}'.length;
const utf8 = new TextEncoder();
const utf8Length = (text: string) => utf8.encode(text).length;

/** Builds the request body from the frozen report bodies: the bytes are exactly those stored. */
export function batchBody(wireBodies: string[]): string {
  return `{"reports":[${wireBodies.join(',')}]}`;
}

/**
 * Takes back the batch leases of a worker that died (it was stopped, or the browser closed) and
 * our own that expired. Their reports never stopped being `waiting`; what changes is that the
 * endpoint may now hold their bodies, so each body is frozen exactly as it was sent (the lease
 * kept editors from changing it in place). Runs at the start of every flush; during a flush no
 * other worker claims (the Web Lock), so once is enough.
 */
async function takeBackAbandoned({ db, clock, workerId }: OutboxDeps): Promise<void> {
  await db.transaction('rw', db.reports, db.leases, async () => {
    const now = clock();
    // An acknowledged batch is over: its answer is applied (applyAcknowledged), never resent.
    const abandoned = (await db.leases.toArray()).filter((lease) => !lease.acknowledged && (lease.owner !== workerId || lease.until <= now));
    if (abandoned.length === 0) return;
    const frozen: ReportRecord[] = [];
    for (const lease of abandoned) {
      const records = await db.reports.bulkGet(lease.reports.map((r) => r.id));
      records.forEach((record, i) => {
        if (!record || record.wireBody !== undefined || revisionOf(record) !== lease.reports[i]!.revision) return;
        record.wireBody = JSON.stringify(record.report);
        record.updatedAt = now;
        frozen.push(record);
      });
    }
    await db.reports.bulkPut(frozen);
    await db.leases.bulkDelete(abandoned.map((lease) => lease.id));
  });
}

const revisionOf = (record: ReportRecord) => record.report.revision ?? 1;

/** What the claims of one flush share. */
interface ClaimState {
  /** Reports claimed in this flush (in flight or answered): never twice in one flush. */
  tried: Set<string>;
  /** `createdAt` of the newest report claimed so far: the next claim reads on from there. */
  after: number | undefined;
}

/** A batch under lease, with the exact bytes of each report's body as sent. */
interface ClaimedBatch {
  lease: BatchLease;
  records: ReportRecord[];
  bodies: string[];
}

/**
 * Takes the next due reports, oldest first, as up to `count` batches, each under one lease row:
 * at most the batch size and the byte limit per batch (a single report larger than the limit goes
 * alone). Reports past the age limit become `undelivered` instead. The claimed reports themselves
 * are not written: the lease rows name them (schema/record.ts BatchLease). Runs inside a
 * transaction of the caller. `more: false` when nothing more is due after these.
 */
async function claimWindow(
  deps: OutboxDeps,
  limits: OutboxLimits,
  settings: EffectiveSettings,
  claims: ClaimState,
  count: number,
  force: boolean,
): Promise<{ batches: ClaimedBatch[]; more: boolean }> {
  const { db, clock, workerId } = deps;
  const maxCount = limits.batchSize ?? settings.batchSize;
  const maxBytes = limits.batchMaxBytes ?? settings.batchMaxBytes;
  const maxAgeMs = settings.maxAgeDays * DAY_MS;
  const now = clock();
  // Reports under any lease are in flight (another context flushing without the lock, or a dead
  // worker's request not yet taken back): never claimed twice.
  const leased = await leasedReportIds(db);
  // Oldest first, straight from the [status+createdAt] index, from where the last claim stopped
  // (batches in flight are still `waiting` there). The first page is one getAll() (no cursor
  // round trips); only when it holds too few due reports does a filtered scan run.
  const isDue = (r: ReportRecord) => !claims.tried.has(r.id) && !leased.has(r.id) && (force || r.nextAttemptAt <= now);
  const waiting = () => db.reports.where('[status+createdAt]').between(['waiting', claims.after ?? Dexie.minKey], ['waiting', Dexie.maxKey], true, true);
  const wanted = count * maxCount;
  // A little more than the window: reports backing off after a failure are usually few, and
  // every record read here costs as much as the network time it would save.
  const pageSize = wanted + Math.ceil(wanted / 10);
  const page = await waiting().limit(pageSize).toArray();
  let due = page.filter(isDue).slice(0, wanted);
  if (due.length < wanted && page.length === pageSize) due = await waiting().filter(isDue).limit(wanted).toArray();

  const batches: Array<{ records: ReportRecord[]; bodies: string[]; bytes: number }> = [];
  const expired: ReportRecord[] = [];
  // More may be due when the window filled up, or when the read stopped at its limit.
  let more = due.length === wanted;
  for (const record of due) {
    claims.tried.add(record.id);
    claims.after = Math.max(claims.after ?? record.createdAt, record.createdAt);
    if ((record.retriedAt ?? record.createdAt) + maxAgeMs <= now) {
      expired.push(record);
      continue;
    }
    const body = record.wireBody ?? JSON.stringify(record.report);
    const size = utf8Length(body);
    let open = batches.at(-1);
    if (!open || open.records.length >= maxCount || open.bytes + 1 + size > maxBytes) {
      if (batches.length === count) {
        // The window is full: this report is for the next one.
        claims.tried.delete(record.id);
        more = true;
        break;
      }
      open = { records: [], bodies: [], bytes: ENVELOPE_BYTES - 1 };
      batches.push(open);
    }
    open.records.push(record);
    open.bodies.push(body);
    open.bytes += 1 + size;
  }
  if (expired.length) {
    for (const record of expired) {
      record.status = 'undelivered';
      record.updatedAt = now;
      record.lastError = { kind: 'expired', detail: String(settings.maxAgeDays), at: now };
      appendLedger(record, { at: now, endpoint: settings.endpointUrl, outcome: 'undelivered', detail: `older than ${settings.maxAgeDays} days` });
    }
    await db.reports.bulkPut(expired);
  }
  const claimed = batches.map(({ records, bodies }): ClaimedBatch => ({
    lease: {
      id: crypto.randomUUID(),
      owner: workerId,
      until: now + limits.leaseMs,
      reports: records.map((record) => ({ id: record.id, revision: revisionOf(record) })),
      firstCreatedAt: Math.min(...records.map((r) => r.createdAt)),
      lastCreatedAt: Math.max(...records.map((r) => r.createdAt)),
    },
    records,
    bodies,
  }));
  await db.leases.bulkAdd(claimed.map((batch) => batch.lease));
  return { batches: claimed, more };
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
  { records: batch, bodies }: ClaimedBatch,
  secrets: string[],
): Promise<Map<string, Outcome>> {
  const all = (outcome: Outcome) => new Map(batch.map((r) => [r.id, outcome]));
  const body = batchBody(bodies);
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

/**
 * Records each outcome and its ledger line (in the record itself), for the reports of these batches still at the
 * revision sent, and ends their leases. Runs inside a transaction of the caller. A report edited
 * while in flight became a new revision that waits for its own attempt; a deleted one is gone.
 */
async function settle(
  deps: OutboxDeps,
  limits: OutboxLimits,
  endpoint: string,
  answers: Array<{ batch: ClaimedBatch; outcomes: Map<string, Outcome> }>,
): Promise<void> {
  const { db, clock, workerId, random } = deps;
  const held = await db.leases.bulkGet(answers.map(({ batch }) => batch.lease.id));
  // A lease taken back (this worker outlived it): the next attempt resends the frozen bodies.
  const owned = answers.filter((_, i) => held[i]?.owner === workerId);
  if (owned.length === 0) return;
  const now = clock();
  // The common case, every report acknowledged: one write for the batch, in its lease row.
  const acknowledged = owned.filter(({ batch, outcomes }) => batch.records.every((record) => outcomes.get(record.id)?.kind === 'sent'));
  await db.leases.bulkPut(
    acknowledged.map(({ batch, outcomes }): BatchLease => ({
      ...batch.lease,
      acknowledged: {
        at: now,
        endpoint,
        results: batch.records.map((record) => {
          const outcome = outcomes.get(record.id) as Extract<Outcome, { kind: 'sent' }>;
          return { result: outcome.result, ...receiptField(outcome.receipt) };
        }),
      },
    })),
  );
  // Any other answer (a refusal, a retry, a partial batch) is written into the records now.
  const rest = owned.filter((answer) => !acknowledged.includes(answer));
  if (rest.length === 0) return;
  await db.leases.bulkDelete(rest.map(({ batch }) => batch.lease.id));
  const sent = new Map<string, { revision: number; body: string; outcome: Outcome }>();
  for (const { batch, outcomes } of rest) {
    batch.records.forEach((record, i) => {
      const outcome = outcomes.get(record.id);
      if (outcome) sent.set(record.id, { revision: batch.lease.reports[i]!.revision, body: batch.bodies[i]!, outcome });
    });
  }
  const current = await readLeasedRecords(
    db,
    rest.map(({ batch }) => batch.lease),
  );
  const updated: ReportRecord[] = [];
  for (const record of current) {
    const { revision, body, outcome } = sent.get(record.id)!;
    if (revisionOf(record) !== revision) continue;
    if (outcome.kind === 'sent') {
      applyAcknowledgement(record, { revision, at: now, endpoint, result: outcome.result, ...receiptField(outcome.receipt) });
      updated.push(record);
      continue;
    }
    delete record.lease;
    record.attempts += 1;
    record.updatedAt = now;
    record.endpoint = endpoint;
    // The endpoint may hold this body: every later attempt sends exactly these bytes.
    record.wireBody = body;
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
    appendLedger(record, {
      at: now,
      endpoint,
      outcome: outcome.kind === 'failed' ? 'rejected' : 'retry',
      ...(outcome.error.status === undefined ? {} : { httpStatus: outcome.error.status }),
      detail: outcome.error.detail ?? outcome.error.kind,
    });
    updated.push(record);
  }
  await db.reports.bulkPut(updated);
}

/**
 * Reads back the reports these leases name. They are still `waiting` within each lease's
 * createdAt range: one index read, not a get per report (a report edited meanwhile is fetched
 * by id). Runs inside a transaction of the caller.
 */
async function readLeasedRecords(db: FlaglineDB, leases: BatchLease[]): Promise<ReportRecord[]> {
  const ids = new Set(leases.flatMap((lease) => lease.reports.map((r) => r.id)));
  const inRange = await db.reports
    .where('[status+createdAt]')
    .between(
      ['waiting', Math.min(...leases.map((lease) => lease.firstCreatedAt))],
      ['waiting', Math.max(...leases.map((lease) => lease.lastCreatedAt))],
      true,
      true,
    )
    .toArray();
  const current = inRange.filter((record) => ids.has(record.id));
  if (current.length < ids.size) {
    const found = new Set(current.map((record) => record.id));
    const missing = [...ids].filter((id) => !found.has(id));
    current.push(...(await db.reports.bulkGet(missing)).filter((record): record is ReportRecord => record !== undefined));
  }
  return current;
}

/**
 * Applies recorded acknowledgements to the report records: each acknowledged report becomes
 * `sent` with its ledger line (utils/leases.ts `applyAcknowledgement`, the same function readers
 * use to show it meanwhile), and the lease row goes, in the same transaction. Whatever worker
 * recorded them: a worker that died before applying its own leaves them to the next flush.
 * A few batches per transaction, so a user's save never waits long behind it.
 */
export async function applyAcknowledged({ db }: Pick<OutboxDeps, 'db'>, limits: Partial<OutboxLimits> = {}): Promise<number> {
  const perTransaction = limits.settleBatchesPerTransaction ?? OUTBOX_LIMITS.settleBatchesPerTransaction;
  let applied = 0;
  for (;;) {
    const done = await db.transaction('rw', db.reports, db.leases, async () => {
      const leases = (await db.leases.toArray()).filter((lease) => lease.acknowledged).slice(0, perTransaction);
      if (leases.length === 0) return false;
      const view = leaseView(leases);
      const records = await readLeasedRecords(db, leases);
      const updated = records.filter((record) => {
        const ack = view.acknowledged.get(record.id);
        return ack !== undefined && applyAcknowledgement(record, ack);
      });
      await db.reports.bulkPut(updated);
      await db.leases.bulkDelete(leases.map((lease) => lease.id));
      applied += updated.length;
      return true;
    });
    if (!done) return applied;
  }
}

/** Adds a line to the record's own ledger; it is written with the record's next put. */
function appendLedger(record: ReportRecord, line: LedgerLine): void {
  (record.ledger ??= []).push(line);
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
      if (typeof body[key] === 'string') return body[key].slice(0, 500);
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** When the outbox next needs a worker: the earliest retry or lease expiry, if any. */
export async function nextWakeAt(db: FlaglineDB): Promise<number | undefined> {
  const [waiting, leases] = await Promise.all([db.reports.where('status').equals('waiting').toArray(), db.leases.toArray()]);
  const times = [...waiting.map((r) => r.nextAttemptAt), ...leases.map((lease) => lease.until)];
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
  /** The run in progress, until its acknowledgements are applied and the alarm is set. */
  let current: Promise<void> | undefined;
  let followUp: Promise<FlushSummary> | undefined;
  let followUpOptions: FlushOptions = {};

  function run(options: FlushOptions): { summary: Promise<FlushSummary>; done: Promise<void> } {
    let answer!: (summary: FlushSummary) => void;
    let refuse!: (error: unknown) => void;
    const summary = new Promise<FlushSummary>((resolve, reject) => {
      answer = resolve;
      refuse = reject;
    });
    const done = (async () => {
      try {
        // If this worker dies mid-flush, the alarm wakes a new one, which takes back the leases.
        await deps.alarms.create(OUTBOX_ALARM, { when: deps.clock() + WATCHDOG_MS });
        if (deps.isOnline) await noteConnectivity(deps.db, deps.isOnline(), deps.clock);
        const work = async () => {
          // Every answer is recorded once delivery returns, so the caller hears now; the records
          // catch up with the acknowledgements under the same lock (a worker that dies first
          // leaves them to the next flush, and readers show them as sent meanwhile).
          answer(await deliverOutbox(deps, options));
          await applyAcknowledged(deps, deps.limits);
        };
        await (deps.locks ? deps.locks.request(OUTBOX_LOCK, work) : work());
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
    })();
    // A failure before the answer fails the caller's flush; one after it (applying, or setting
    // the alarm) leaves the recorded acknowledgements for the next flush to apply.
    return { summary, done: done.catch(refuse) };
  }

  /** Runs a flush, or queues one follow-up run behind the current one; resolves with its summary. */
  function flush(options: FlushOptions = {}): Promise<FlushSummary> {
    if (!current) {
      const { summary, done } = run(options);
      current = done.finally(() => {
        current = undefined;
      });
      return summary;
    }
    followUpOptions = { force: followUpOptions.force || options.force, resume: followUpOptions.resume || options.resume };
    followUp ??= current.then(() => {
      const next = followUpOptions;
      followUp = undefined;
      followUpOptions = {};
      return flush(next);
    });
    return followUp;
  }

  /** Resolves when no flush runs or waits: every acknowledgement applied, the alarm set. */
  async function idle(): Promise<void> {
    while (current || followUp) await (followUp ? followUp.catch(() => undefined) : current);
  }

  return { flush, idle };
}
