import type { FlushSummary } from '../schema/messages';
import type { DeliveryError } from '../schema/record';
import { hasEndpoint } from '../destination';
import { deliverBatch, type Outcome } from './channel';
import { claimWindow, takeBackAbandoned, type ClaimedBatch, type ClaimState } from './claim';
import { OUTBOX_LIMITS, type FlushOptions, type OutboxDeps } from './limits';
import { getDeliveryPause, PAUSE_KEY, type DeliveryPause } from './pause';
import { requeueFailed } from './retry';
import { applyAcknowledged, settle } from './settle';

/** One flush: claiming, sending and settling overlap, so the wire never waits for the database. */

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
  // No endpoint (issue 16): nothing is sent to a guess and nothing is tried, so nothing retries.
  if (!hasEndpoint(settings)) return summary;
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
    if (!gone && !exhausted && !claiming && claimed.length <= limits.claimAheadLowWater)
      // A failed claim reaches the senders: nextBatch awaits `claiming` and throws.
      void claimNextWindow().catch(() => undefined);
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
        // Waits for the claim only to order the transactions; its failure reaches the senders.
        if (claiming) await claiming.catch(() => undefined);
        const items = answered.splice(0, limits.settleBatchesPerTransaction);
        await deps.db
          .transaction('rw', [deps.db.reports, deps.db.leases, deps.db.statusPages], () => settle(deps, limits, settings.endpointUrl, items))
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
    // A claim that failed here committed no leases, and any sender that needed it has thrown.
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
