/**
 * The first admin: while the Desk has no enabled admin, `serve` prints a one-time link
 * `…/setup#<token>` (the token after `#` never reaches a server log). The database keeps only the
 * token's SHA-256; `POST /api/setup` consumes it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DeskDb } from '../store/engine';
import { hasAdmin } from '../store/users';

const KEY = 'setup_token_hash';
const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** A fresh setup token when no admin exists (replacing any earlier one), else undefined. */
export async function prepareSetup(db: DeskDb): Promise<string | undefined> {
  if (await hasAdmin(db)) return undefined;
  const token = randomBytes(24).toString('base64url');
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('desk_meta').where('key', '=', KEY).execute();
    await trx
      .insertInto('desk_meta')
      .values({ key: KEY, value: hash(token).toString('hex') })
      .execute();
  });
  return token;
}

export async function setupNeeded(db: DeskDb): Promise<boolean> {
  return !(await hasAdmin(db));
}

/** Consumes the token inside `trx`: true only for the one that was printed, and only once. */
export async function consumeSetupToken(trx: DeskDb, token: string): Promise<boolean> {
  const row = await trx.selectFrom('desk_meta').select('value').where('key', '=', KEY).executeTakeFirst();
  if (!row) return false;
  const ok = timingSafeEqual(Buffer.from(row.value, 'hex'), hash(token));
  if (ok) await trx.deleteFrom('desk_meta').where('key', '=', KEY).execute();
  return ok;
}
