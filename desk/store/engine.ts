/**
 * Opening the Desk's database: SQLite (better-sqlite3) in a data folder by default, PostgreSQL
 * (pg) when a `postgres://` URL is given. Everything above this file speaks Kysely and does not
 * care which; the few places where the engines differ ask `isPostgres`.
 */
import { mkdirSync, accessSync, constants, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DeskTables } from './tables';
import { migrateToLatest } from './migrations';

export type DatabaseTarget = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

export type DeskDb = Kysely<DeskTables>;

export class DatabaseUnavailableError extends Error {}

export const SQLITE_FILE = 'desk.sqlite';

export function isPostgres(db: { getExecutor(): { readonly adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Redacts the password of a database URL for messages. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `SQLite in ${resolve(target.dataDir)}`;
  try {
    const url = new URL(target.url);
    if (url.password) url.password = '***';
    return `PostgreSQL at ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}

function openSqlite(dataDir: string): DeskDb {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new DatabaseUnavailableError(`The data folder ${resolve(dataDir)} cannot be written: ${(error as Error).message}`);
  }
  let database: SQLite.Database;
  try {
    database = new SQLite(join(dataDir, SQLITE_FILE));
    // WAL: readers (export, the CLI) never block intake and the other way round. synchronous=FULL
    // makes every commit reach the disk before it returns, so an acknowledged report survives a
    // power cut as well as a kill -9 (NORMAL would survive only the latter).
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    // The CLI may write while the service runs: wait for the lock instead of failing.
    database.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new DatabaseUnavailableError(`Cannot open the SQLite database in ${resolve(dataDir)}: ${(error as Error).message}`);
  }
  return new Kysely<DeskTables>({ dialect: new SqliteDialect({ database }) });
}

function openPostgres(url: string, poolSize: number): DeskDb {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', (error) => console.error(`PostgreSQL connection error: ${error.message}`));
  return new Kysely<DeskTables>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<DeskDb> {
  const db = target.kind === 'sqlite' ? openSqlite(target.dataDir) : openPostgres(target.url, options.poolSize ?? 10);
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    // The migration's error is the one to report; a failure to close on top of it says nothing new.
    await db.destroy().catch(() => undefined);
    const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause : error) : new Error(String(error));
    throw new DatabaseUnavailableError(`Cannot use ${describeTarget(target)}: ${cause.message}`, { cause: error });
  }
  return db;
}

/** `--database URL`, then `DATABASE_URL`, then `--data DIR` (default `./desk-data`). */
export function resolveTarget(flags: { data?: string | undefined; database?: string | undefined }, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const url = flags.database ?? (flags.data ? undefined : env.DATABASE_URL);
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new DatabaseUnavailableError(`--database expects a postgres:// URL, got ${JSON.stringify(url.slice(0, 40))}`);
    return { kind: 'postgres', url };
  }
  return { kind: 'sqlite', dataDir: flags.data ?? 'desk-data' };
}

/**
 * A consistent copy of the SQLite database while the service keeps running, through SQLite's
 * online backup API (better-sqlite3 `backup`). Returns the copy's size in bytes.
 */
export async function backupSqlite(dataDir: string, destination: string): Promise<number> {
  const file = join(dataDir, SQLITE_FILE);
  if (!existsSync(file)) throw new DatabaseUnavailableError(`There is no Desk database in ${resolve(dataDir)}`);
  if (existsSync(destination)) throw new DatabaseUnavailableError(`${resolve(destination)} exists already; choose a new file`);
  const database = new SQLite(file, { readonly: true, fileMustExist: true });
  database.pragma('busy_timeout = 5000');
  try {
    await database.backup(destination);
  } finally {
    database.close();
  }
  return statSync(destination).size;
}
