/**
 * The Desk's command line (DESIGN.md "The Desk's command line is a contract too"):
 *
 *   npm run desk -- [--host H] [--port P] [--data DIR | --database URL] [--public-url URL] [--allowed-host NAME]… [--notify-interval SECONDS]
 *   npm run --silent desk -- channel create --name NAME [--signing]
 *   npm run --silent desk -- channel list | channel revoke ID
 *   npm run --silent desk -- export [--format jsonl]
 *   npm run --silent desk -- backup --to FILE          (SQLite: a consistent copy while serving)
 *   npm run --silent desk -- user create --email E --role admin|reviewer --password-stdin
 *   npm run --silent desk -- user list | user disable --email E
 *
 * Every subcommand takes `--data DIR` (default ./desk-data) or `--database postgres://…`
 * (or `DATABASE_URL`). Errors go to stderr with exit code 1.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createChannel, listChannels, revokeChannel } from '../store/channels';
import { backupSqlite, describeTarget, openDatabase, resolveTarget, type DeskDb } from '../store/engine';
import { exportReports } from '../store/export';
import { DEFAULT_NOTIFY_INTERVAL_MS, startNotifications } from '../notify/scheduler';
import { DEFAULT_MAX_BODY_BYTES, REPORTS_PATH, startDesk } from '../server';
import { Email, Password, Role } from '../api/contract';
import { prepareSetup } from '../auth/setup';
import { createUser, findUserByEmail, listUsers, updateUser, UserExistsError } from '../store/users';

export class UsageError extends Error {}

const USAGE = `Usage:
  npm run desk -- [--host 127.0.0.1] [--port 8787] [--data DIR | --database URL] [--public-url URL] [--allowed-host NAME] [--notify-interval 300]
  npm run --silent desk -- channel create --name NAME [--signing]
  npm run --silent desk -- channel list
  npm run --silent desk -- channel revoke ID
  npm run --silent desk -- export [--format jsonl]
  npm run --silent desk -- backup --to FILE
  npm run --silent desk -- user create --email E --role admin|reviewer --password-stdin
  npm run --silent desk -- user list
  npm run --silent desk -- user disable --email E`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  data: { type: 'string' },
  database: { type: 'string' },
  'public-url': { type: 'string' },
  'allowed-host': { type: 'string', multiple: true },
  'max-body-bytes': { type: 'string' },
  'notify-interval': { type: 'string' },
  name: { type: 'string' },
  signing: { type: 'boolean' },
  format: { type: 'string' },
  to: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function parse(argv: readonly string[]): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    return { flags: values, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function portOf(flags: Flags): number {
  const port = Number(flags.port ?? process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got ${JSON.stringify(flags.port)}`);
  return port;
}

/** Seconds between notification digests (`--notify-interval`); 0 sends none. */
function notifyIntervalOf(flags: Flags): number {
  if (flags['notify-interval'] === undefined) return DEFAULT_NOTIFY_INTERVAL_MS;
  const seconds = Number(flags['notify-interval']);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400)
    throw new UsageError('--notify-interval must be a whole number of seconds from 0 to 86400');
  return seconds * 1000;
}

/** Where extensions send reports: `--public-url` (behind a proxy), else the address served. */
function endpointFor(flags: Flags): string {
  const base = flags['public-url'] ?? process.env.FLAGLINE_DESK_PUBLIC_URL ?? `http://${flags.host ?? '127.0.0.1'}:${portOf(flags)}`;
  if (!URL.canParse(base)) throw new UsageError(`--public-url must be a URL, got ${JSON.stringify(base)}`);
  return `${base.replace(/\/+$/, '')}${REPORTS_PATH}`;
}

async function withDatabase<T>(flags: Flags, use: (db: DeskDb) => Promise<T>): Promise<T> {
  const db = await openDatabase(resolveTarget(flags));
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

type Out = (line: string) => void;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function user(sub: string | undefined, flags: Flags, out: Out): Promise<void> {
  if (sub === 'create') {
    const email = Email.safeParse(flags.email ?? '');
    if (!email.success) throw new UsageError('user create needs --email with an email address');
    const role = Role.safeParse(flags.role);
    if (!role.success) throw new UsageError('user create needs --role admin or --role reviewer');
    if (!flags['password-stdin'])
      throw new UsageError('user create reads the password from stdin: give --password-stdin (never a password on the command line)');
    // One line: a trailing newline from `echo` or a here-string is not part of the password.
    const password = Password.safeParse((await readStdin()).replace(/\r?\n$/, ''));
    if (!password.success) throw new UsageError('the password must be 10 to 256 characters');
    const created = await withDatabase(flags, (db) => createUser(db, { email: email.data, role: role.data, password: password.data })).catch(
      (error: unknown) => {
        throw error instanceof UserExistsError ? new UsageError(error.message) : error;
      },
    );
    return out(JSON.stringify(created));
  }
  if (sub === 'list') {
    for (const entry of await withDatabase(flags, listUsers)) out(JSON.stringify(entry));
    return;
  }
  if (sub === 'disable') {
    if (!flags.email) throw new UsageError('user disable needs --email E');
    const email = flags.email;
    const done = await withDatabase(flags, async (db) => {
      const found = await findUserByEmail(db, email);
      return found ? updateUser(db, found.id, { disabled: true }) : undefined;
    });
    if (!done) throw new UsageError(`no user with the email ${email}`);
    return out(JSON.stringify(done));
  }
  throw new UsageError(`unknown user command ${JSON.stringify(sub ?? '')}; use create, list or disable`);
}

async function serve(flags: Flags, out: Out): Promise<void> {
  const target = resolveTarget(flags);
  const maxBodyBytes = flags['max-body-bytes'] ? Number(flags['max-body-bytes']) : DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024) throw new UsageError('--max-body-bytes must be a whole number of at least 1024');
  const publicUrl = flags['public-url'] ?? process.env.FLAGLINE_DESK_PUBLIC_URL;
  const allowedHosts = [...(flags['allowed-host'] ?? []), ...(publicUrl && URL.canParse(publicUrl) ? [new URL(publicUrl).hostname] : [])];
  const notifyIntervalMs = notifyIntervalOf(flags);
  const db = await openDatabase(target);
  const desk = await startDesk({ db, host: flags.host ?? '127.0.0.1', port: portOf(flags), allowedHosts, maxBodyBytes, publicUrl }).catch(
    async (error: unknown) => {
      await db.destroy();
      throw error;
    },
  );
  out(`Flagline Desk is listening on ${desk.url} (${describeTarget(target)}); reports go to ${endpointFor({ ...flags, port: String(desk.port) })}`);
  const notifications = notifyIntervalMs > 0 ? startNotifications({ db, fetchFn: fetch, intervalMs: notifyIntervalMs, publicUrl }) : undefined;
  const setupToken = await prepareSetup(db);
  if (setupToken) {
    const base = (publicUrl ?? desk.url).replace(/\/+$/, '');
    out(`No admin yet. Open this one-time link to create the first admin: ${base}/setup#${setupToken}`);
  }
  const stop = () => {
    notifications?.stop();
    void desk
      .close()
      .then(() => db.destroy())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function run(argv: readonly string[], out: Out = (line) => process.stdout.write(`${line}\n`)): Promise<void> {
  const { flags, positionals } = parse(argv);
  if (flags.help) return out(USAGE);
  if (flags.data && flags.database) throw new UsageError('give either --data or --database, not both');
  const [command, sub, ...rest] = positionals;
  switch (command) {
    case undefined:
    case 'serve':
      return serve(flags, out);
    case 'channel':
      if (sub === 'create') {
        if (!flags.name) throw new UsageError('channel create needs --name NAME');
        const endpoint = endpointFor(flags);
        const name = flags.name;
        const created = await withDatabase(flags, (db) => createChannel(db, { name, signing: flags.signing ?? false }));
        return out(
          JSON.stringify({
            id: created.id,
            name: created.name,
            token: created.token,
            endpoint,
            ...(created.signingSecret ? { signingSecret: created.signingSecret } : {}),
          }),
        );
      }
      if (sub === 'list') {
        const channels = await withDatabase(flags, listChannels);
        for (const channel of channels) out(JSON.stringify(channel));
        return;
      }
      if (sub === 'revoke') {
        const id = rest[0];
        if (!id) throw new UsageError('channel revoke needs the channel id');
        const found = await withDatabase(flags, (db) => revokeChannel(db, id));
        if (!found) throw new UsageError(`no channel with id ${id}`);
        return out(JSON.stringify({ id, revoked: true }));
      }
      throw new UsageError(`unknown channel command ${JSON.stringify(sub ?? '')}; use create, list or revoke`);
    case 'user':
      return user(sub, flags, out);
    case 'export': {
      if ((flags.format ?? 'jsonl') !== 'jsonl') throw new UsageError(`--format must be jsonl, got ${JSON.stringify(flags.format)}`);
      await withDatabase(flags, async (db) => {
        for await (const report of exportReports(db)) out(JSON.stringify(report));
      });
      return;
    }
    case 'backup': {
      const target = resolveTarget(flags);
      if (target.kind !== 'sqlite') throw new UsageError('backup copies the SQLite database; for PostgreSQL use pg_dump (docs/desk.md)');
      if (!flags.to) throw new UsageError('backup needs --to FILE');
      const bytes = await backupSqlite(target.dataDir, flags.to);
      return out(JSON.stringify({ backup: resolve(flags.to), bytes }));
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

/** The program: runs a command, and on failure says why on stderr and exits with code 1. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await run(argv);
  } catch (error) {
    process.stderr.write(`desk: ${(error as Error).message}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
    process.exit(1);
  }
}

// Run directly (`tsx desk/cli/main.ts …`); `npm run desk` goes through scripts/desk.mjs.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main(process.argv.slice(2));
