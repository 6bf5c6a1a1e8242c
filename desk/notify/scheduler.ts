/**
 * The digest scheduler the Desk's `serve` starts: every `intervalMs`, each notifier gets one
 * digest of the reports that arrived since its last one — or nothing, when none did. A digest
 * that fails or is held back by the rate limit leaves the robot's cursor where it was, so the next
 * run's digest covers those reports too: nothing is skipped, nothing is told twice.
 *
 * One Desk process should run it per database (two would each send their digest).
 */
import type { DeskDb } from '../store/engine';
import { collectDigest, digestMessage } from './digest';
import type { FetchFn, SendOutcome } from './platforms';
import { deskRateLimiter, type NotifierRateLimiter } from './rate-limit';
import { deliverAndRecord } from './store';

export const DEFAULT_NOTIFY_INTERVAL_MS = 5 * 60_000;
/**
 * A report is digested once it is this old: far longer than an intake transaction takes to commit
 * after stamping its received time (see collectDigest), short beside the interval.
 */
export const DIGEST_SETTLE_MS = 60_000;

export interface NotificationOptions {
  db: DeskDb;
  fetchFn: FetchFn;
  now?: () => Date;
  intervalMs?: number;
  /** The Desk's public address; the digest links to its queue when given. */
  publicUrl?: string | undefined;
  limiter?: NotifierRateLimiter;
  /** Where a run's failure is told (the failures of single robots are recorded on them instead). */
  onError?: (error: unknown) => void;
}

export interface NotificationRun {
  /** Per notifier id: what its digest did; absent when it had nothing new. */
  sent: Record<string, SendOutcome>;
}

export interface Notifications {
  stop(): void;
  runOnce(): Promise<NotificationRun>;
}

export function startNotifications(options: NotificationOptions): Notifications {
  const { db, fetchFn } = options;
  const now = options.now ?? (() => new Date());
  const limiter = options.limiter ?? deskRateLimiter;
  const intervalMs = options.intervalMs ?? DEFAULT_NOTIFY_INTERVAL_MS;
  let running: Promise<NotificationRun> | undefined;

  async function digestAll(): Promise<NotificationRun> {
    const sent: Record<string, SendOutcome> = {};
    const notifiers = await db.selectFrom('notifiers').selectAll().orderBy('created_at').execute();
    for (const notifier of notifiers) {
      const notAfter = new Date(now().getTime() - DIGEST_SETTLE_MS).toISOString();
      const digest = await collectDigest(db, { at: notifier.digest_after_at, id: notifier.digest_after_id }, notAfter);
      if (!digest) continue;
      sent[notifier.id] = await deliverAndRecord(db, notifier, digestMessage(digest, options.publicUrl), fetchFn, {
        now,
        limiter,
        onSuccess: { digest_after_at: digest.upTo.at, digest_after_id: digest.upTo.id },
      });
    }
    return { sent };
  }

  // Runs never overlap: a slow robot must not make two digests of the same reports.
  const runOnce = () => {
    running ??= digestAll().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => (options.onError ?? ((e) => console.error(`desk notifications: ${(e as Error).message}`)))(error));
  }, intervalMs);
  // The Desk's HTTP server keeps the process alive; this timer alone should not.
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
