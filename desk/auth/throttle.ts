/**
 * Sign-in throttling, per email and per remote address: the first 5 failures cost nothing; each
 * further one doubles the wait before the next attempt is even checked (1 s, 2 s, 4 s … up to
 * 15 min), answered 429 with Retry-After. A success clears the email's and the address's count.
 */
import type { DeskDb } from '../store/engine';

export const FREE_FAILURES = 5;
const MAX_DELAY_S = 15 * 60;
/** Failures older than this are forgotten: a count starts again, and old rows are removed. */
const FORGET_MS = 24 * 60 * 60 * 1000;

export const throttleKeys = (email: string, address: string) => [`email:${email.trim().toLowerCase()}`, `addr:${address}`];

/** Seconds to wait before another attempt may be checked; 0 when it may be checked now. */
export async function retryAfterSeconds(db: DeskDb, keys: readonly string[], now: Date): Promise<number> {
  const rows = await db
    .selectFrom('sign_in_throttle')
    .select('blocked_until')
    .where('key', 'in', [...keys])
    .execute();
  const until = Math.max(0, ...rows.map((row) => (row.blocked_until ? Date.parse(row.blocked_until) : 0)));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordFailure(db: DeskDb, keys: readonly string[], now: Date): Promise<void> {
  const forgotten = new Date(now.getTime() - FORGET_MS).toISOString();
  await db.transaction().execute(async (trx) => {
    // Rows for addresses and emails nobody has tried for a day go (a spray of made-up emails must not pile up).
    await trx.deleteFrom('sign_in_throttle').where('last_failure_at', '<', forgotten).execute();
    for (const key of keys) {
      const row = await trx.selectFrom('sign_in_throttle').select('failures').where('key', '=', key).executeTakeFirst();
      const failures = (row?.failures ?? 0) + 1;
      const delay = failures >= FREE_FAILURES ? Math.min(MAX_DELAY_S, 2 ** (failures - FREE_FAILURES)) : 0;
      const values = { failures, last_failure_at: now.toISOString(), blocked_until: delay > 0 ? new Date(now.getTime() + delay * 1000).toISOString() : null };
      if (row) await trx.updateTable('sign_in_throttle').set(values).where('key', '=', key).execute();
      else
        await trx
          .insertInto('sign_in_throttle')
          .values({ key, ...values })
          .execute();
    }
  });
}

export async function clearFailures(db: DeskDb, keys: readonly string[]): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('key', 'in', [...keys])
    .execute();
}
