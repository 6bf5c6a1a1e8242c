/**
 * The Desk's schema, as migrations that run unchanged on SQLite and PostgreSQL (Kysely's schema
 * builder emits each engine's types). Add a migration; never edit one that has shipped.
 */
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { isPostgres } from './engine';
import { notifierMigrations } from './notifier-migration';
import { replayMigrations } from './replay';

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
  ...notifierMigrations,
  ...replayMigrations,
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
