/**
 * A throwaway PostgreSQL cluster for the Desk's tests and bench: initdb in a temp folder, a
 * server on a free loopback port, gone again at `stop()`. Debian keeps the server binaries in
 * /usr/lib/postgresql/<major>/bin (not on PATH), and initdb refuses to run as root, so as root
 * the cluster runs as the `postgres` user the package creates (ENVIRONMENT.md).
 *
 * `FLAGLINE_TEST_DATABASE_URL` (a superuser URL) uses a server you already run instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

export interface ThrowawayPostgres {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  const newest = majors.at(-1);
  return newest ? join(root, newest, 'bin') : undefined;
}

export async function startThrowawayPostgres(options: { fsync?: boolean } = {}): Promise<ThrowawayPostgres> {
  const given = process.env.FLAGLINE_TEST_DATABASE_URL;
  if (given) return { url: given, stop: () => Promise.resolve() };
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL is needed for the Desk tests: install it (Debian: apt-get install -y postgresql) or set FLAGLINE_TEST_DATABASE_URL to a superuser URL.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'flagline-pg-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, tool);
    const fullArgs = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    ...(options.fsync === false ? ['-c fsync=off', '-c synchronous_commit=off'] : []),
  ];
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', settings.join(' '), 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A new, empty database in the cluster; returns its URL. */
export async function createDatabase(adminUrl: string, name = `flagline_${Math.random().toString(36).slice(2, 10)}`): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
