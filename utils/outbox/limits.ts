import type { FlaglineDB } from '../db';
import type { EffectiveSettings } from '../settings';
import type { Clock } from '../time';

/** The outbox's tunables, its dependencies (all passed in, so tests drive it) and a flush's options. */
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

export const DAY_MS = 24 * 60 * 60_000;

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
