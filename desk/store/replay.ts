/**
 * Signed requests the Desk has already taken, so a captured request cannot be sent again while
 * its timestamp is still inside the ±5 minute window (Standard Webhooks "replay attacks").
 * Keyed on (channel, webhook-id, webhook-timestamp): the extension keeps a batch's webhook-id
 * across retries but signs each attempt with a new timestamp (attempts are ≥ 1 s apart), so only
 * a replay repeats both. Kept in the database, not in memory: a restarted Desk still refuses.
 */
import type { Kysely, Migration } from 'kysely';
import type { DeskDb } from './engine';

/** Its own migration object, spread into desk/store/migrations.ts beside the others. */
export const replayMigrations: Record<string, Migration> = {
  '0004_replay': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('seen_signatures')
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('webhook_id', 'text', (c) => c.notNull())
        .addColumn('webhook_timestamp', 'text', (c) => c.notNull())
        /** ISO time after which the timestamp is outside the window anyway: the row can go. */
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('seen_signatures_pk', ['channel_id', 'webhook_id', 'webhook_timestamp'])
        .execute();
      await db.schema.createIndex('seen_signatures_expiry').on('seen_signatures').column('expires_at').execute();
    },
  },
};

/** Longest webhook-id kept (Standard Webhooks ids are short; anything longer is refused as unsigned). */
export const WEBHOOK_ID_MAX = 200;
const PRUNE_EVERY_MS = 60_000;

/**
 * Remembers signed requests for one Desk; `firstSeen` is false for a replay. `toleranceS` is the
 * signature check's window: a row is kept until its timestamp is outside it, by the same clock
 * as that check (the real one, unlike the `now` tests give the intake for receive times).
 */
export function createReplayGuard(db: DeskDb, toleranceS: number, clock: () => Date = () => new Date()) {
  let prunedAt = 0;
  return async function firstSeen(channelId: string, webhookId: string, timestamp: string): Promise<boolean> {
    const now = clock();
    if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = now.getTime();
      await db.deleteFrom('seen_signatures').where('expires_at', '<', now.toISOString()).execute();
    }
    // Past the window on both sides of the signed time: a later copy fails the timestamp check.
    const expiresAt = new Date((Number(timestamp) + toleranceS + 60) * 1000).toISOString();
    const result = await db
      .insertInto('seen_signatures')
      .values({ channel_id: channelId, webhook_id: webhookId, webhook_timestamp: timestamp, expires_at: expiresAt })
      .onConflict((conflict) => conflict.columns(['channel_id', 'webhook_id', 'webhook_timestamp']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  };
}
