/**
 * Migration '0003_notifiers': the group-robot webhooks that get a digest of new reports
 * (desk/notify/). Kept in its own file that migrations.ts spreads in, so the reviewers' desk
 * migrations and this one each add one line there.
 */
import type { Kysely, Migration } from 'kysely';

export const notifierMigrations: Record<string, Migration> = {
  '0003_notifiers': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notifiers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('webhook_url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_sent_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('digest_after_at', 'text', (c) => c.notNull())
        .addColumn('digest_after_id', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
