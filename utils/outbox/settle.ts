import type { FlaglineDB } from '../db';
import { leaseView } from '../leases';
import { acknowledge, attemptFailed, receiptFields, revisionOf } from '../reports/lifecycle';
import type { BatchLease, ReportRecord } from '../schema/record';
import { trackStatuses, type Trackable } from '../status/book';
import { backoffDelay } from './backoff';
import type { Outcome } from './channel';
import type { ClaimedBatch } from './claim';
import { OUTBOX_LIMITS, type OutboxDeps, type OutboxLimits } from './limits';

/**
 * Settling: recording each answer. A batch acknowledged in full is one write to its lease row,
 * applied to the report records afterwards; any other answer goes into the records at once,
 * through the report lifecycle (utils/reports/lifecycle.ts).
 */

/**
 * Records each outcome and its ledger line (in the record itself), for the reports of these batches still at the
 * revision sent, and ends their leases. Runs inside a transaction of the caller. A report edited
 * while in flight became a new revision that waits for its own attempt; a deleted one is gone.
 */
export async function settle(
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
          return { result: outcome.result, ...receiptFields(outcome) };
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
  const tracked: Trackable[] = [];
  for (const record of current) {
    const { revision, body, outcome } = sent.get(record.id)!;
    if (revisionOf(record) !== revision) continue;
    if (outcome.kind === 'sent') {
      if (acknowledge(record, { revision, at: now, endpoint, result: outcome.result, ...receiptFields(outcome) }))
        tracked.push({ record, at: now, ...receiptFields(outcome) });
      updated.push(record);
      continue;
    }
    let retryAt: number | undefined;
    // The channel is paused (410): the report waits, due as soon as the user resumes it.
    if (outcome.kind === 'retry')
      retryAt = outcome.error.kind === 'gone' ? now : Math.max(now + backoffDelay(record.attempts + 1, random, limits), outcome.notBefore ?? 0);
    attemptFailed(record, { at: now, endpoint, body, error: outcome.error, ...(retryAt === undefined ? {} : { retryAt }) });
    updated.push(record);
  }
  await db.reports.bulkPut(updated);
  await trackStatuses(db, tracked);
}

/**
 * Reads back the reports these leases name. They are still `waiting` within each lease's
 * createdAt range: one index read, not a get per report (a report edited meanwhile is fetched
 * by id). Runs inside a transaction of the caller.
 */
export async function readLeasedRecords(db: FlaglineDB, leases: BatchLease[]): Promise<ReportRecord[]> {
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
 * `sent` with its ledger line (utils/reports/lifecycle.ts `acknowledge`, the same function readers
 * use to show it meanwhile), and the lease row goes, in the same transaction. Whatever worker
 * recorded them: a worker that died before applying its own leaves them to the next flush.
 * A few batches per transaction, so a user's save never waits long behind it.
 */
export async function applyAcknowledged({ db }: Pick<OutboxDeps, 'db'>, limits: Partial<OutboxLimits> = {}): Promise<number> {
  const perTransaction = limits.settleBatchesPerTransaction ?? OUTBOX_LIMITS.settleBatchesPerTransaction;
  let applied = 0;
  for (;;) {
    const done = await db.transaction('rw', [db.reports, db.leases, db.statusPages], async () => {
      const leases = (await db.leases.toArray()).filter((lease) => lease.acknowledged).slice(0, perTransaction);
      if (leases.length === 0) return false;
      const view = leaseView(leases);
      const records = await readLeasedRecords(db, leases);
      const tracked: Trackable[] = [];
      const updated = records.filter((record) => {
        const ack = view.acknowledged.get(record.id);
        if (ack === undefined || !acknowledge(record, ack)) return false;
        tracked.push({ record, ...ack });
        return true;
      });
      await db.reports.bulkPut(updated);
      await trackStatuses(db, tracked);
      await db.leases.bulkDelete(leases.map((lease) => lease.id));
      applied += updated.length;
      return true;
    });
    if (!done) return applied;
  }
}
