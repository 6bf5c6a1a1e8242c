import Dexie from 'dexie';
import { leasedReportIds } from '../leases';
import { expire, revisionOf } from '../reports/lifecycle';
import type { BatchLease, ReportRecord } from '../schema/record';
import type { EffectiveSettings } from '../settings';
import { DAY_MS, type OutboxDeps, type OutboxLimits } from './limits';

/**
 * Claiming: which due reports go in the next requests, under a lease row per batch, and taking
 * back the leases of a worker that died.
 */

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
export async function takeBackAbandoned({ db, clock, workerId }: OutboxDeps): Promise<void> {
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

/** What the claims of one flush share. */
export interface ClaimState {
  /** Reports claimed in this flush (in flight or answered): never twice in one flush. */
  tried: Set<string>;
  /** `createdAt` of the newest report claimed so far: the next claim reads on from there. */
  after: number | undefined;
}

/** A batch under lease, with the exact bytes of each report's body as sent. */
export interface ClaimedBatch {
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
export async function claimWindow(
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
    for (const record of expired) expire(record, now, settings.endpointUrl, settings.maxAgeDays);
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
