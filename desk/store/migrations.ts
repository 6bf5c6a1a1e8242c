/**
 * The Desk's schema, as migrations that run unchanged on SQLite and PostgreSQL (Kysely's schema
 * builder emits each engine's types). Add a migration; never edit one that has shipped.
 */
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { isPostgres } from './engine';
import { notifierMigrations } from './notifier-migration';
import { replayMigrations } from './replay';
import { backfillMigrations } from './backfill';

const migrations: Record<string, Migration> = {
  '0001_intake': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('signing_secret', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('receipt', 'text', (c) => c.notNull().unique())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reports_received').on('reports').columns(['received_at', 'id']).execute();
      await db.schema.createIndex('reports_channel').on('reports').columns(['channel_id', 'received_at']).execute();
      await db.schema
        .createTable('report_revisions')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('report_revisions_pk', ['report_id', 'revision'])
        .execute();
      await db.schema
        .createTable('evidence_blobs')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('bytes', isPostgres(db) ? sql`bytea` : 'blob', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('report_artifacts')
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull().references('evidence_blobs.sha256'))
        .addColumn('size', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('report_artifacts_pk', ['report_id', 'revision', 'name'])
        .addForeignKeyConstraint('report_artifacts_revision', ['report_id', 'revision'], 'report_revisions', ['report_id', 'revision'])
        .execute();
      await db.schema
        .createTable('desk_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      // The key status tokens are derived from (desk/store/status-tokens.ts): made once, here.
      await sql`insert into desk_meta (key, value) values ('status_token_key', ${randomBytes(32).toString('base64')})`.execute(db);
    },
  },
  '0002_review': {
    async up(db: Kysely<unknown>) {
      const postgres = isPostgres(db);
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_sign_in_at', 'text')
        .execute();
      await db.schema
        .createTable('user_channels')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
        .addPrimaryKeyConstraint('user_channels_pk', ['user_id', 'channel_id'])
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('sign_in_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_failure_at', 'text', (c) => c.notNull())
        .addColumn('blocked_until', 'text')
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_email', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      // Review columns: a decision is made on a cluster and written to every report in it, so the
      // queue filters and the status endpoints read one row.
      for (const [name, type] of [
        ['cluster_id', 'text'],
        ['title', 'text'],
        ['sub_reason', 'text'],
        ['assignee_id', 'text'],
        ['outcome', 'text'],
        ['public_note', 'text'],
        ['internal_note', 'text'],
        ['decided_at', 'text'],
        ['decided_by', 'text'],
      ] as const) {
        await db.schema.alterTable('reports').addColumn(name, type).execute();
      }
      // Reports stored before this migration: each its own cluster, title from the stored body later.
      await sql`update reports set cluster_id = id, title = ''`.execute(db);
      await db.schema.createIndex('reports_state_received').on('reports').columns(['state', 'received_at desc', 'id desc']).execute();
      await db.schema.createIndex('reports_received_desc').on('reports').columns(['received_at desc', 'id desc']).execute();
      await db.schema.createIndex('reports_cluster').on('reports').column('cluster_id').execute();
      await db.schema.createIndex('reports_assignee').on('reports').columns(['assignee_id', 'received_at desc']).execute();
      await db.schema
        .createTable('cluster_keys')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('cluster_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cluster_keys_cluster').on('cluster_keys').column('cluster_id').execute();
      await db.schema
        .createTable('handoffs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('cluster_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('by_id', 'text', (c) => c.notNull())
        .addColumn('case_number', 'text')
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('handoffs_cluster').on('handoffs').columns(['cluster_id', 'at']).execute();
      // Full-text postings (desk/store/search.ts). Terms compare byte-wise on both engines (the
      // single-character prefix range relies on it); received_at is the report's, so a term's
      // postings are walked newest first straight from the index.
      await db.schema
        .createTable('search_postings')
        .addColumn('term', 'text', (c) => (postgres ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull()))
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('search_postings_pk', ['term', 'report_id'])
        .execute();
      await db.schema.createIndex('search_postings_walk').on('search_postings').columns(['term', 'received_at desc', 'report_id desc']).execute();
      await db.schema.createIndex('search_postings_report').on('search_postings').column('report_id').execute();
    },
  },
  ...notifierMigrations,
  ...replayMigrations,
  ...backfillMigrations,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Brings the database to the newest schema; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
}
