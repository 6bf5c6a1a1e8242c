/**
 * Channels: one organisation's entry point. A channel's bearer token is shown once, when it is
 * made; only its SHA-256 is stored, so a copy of the database does not let anyone send as it.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Channel } from './tables';
import type { DeskDb } from './engine';

export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

const newChannelToken = () => `flc_${randomBytes(32).toString('base64url')}`;

export interface CreatedChannel {
  id: string;
  name: string;
  token: string;
  signingSecret?: string;
}

export async function createChannel(db: DeskDb, options: { name: string; signing?: boolean; now?: Date }): Promise<CreatedChannel> {
  const name = options.name.trim();
  if (!name) throw new Error('a channel needs a name (--name)');
  if (name.length > 200) throw new Error('a channel name is at most 200 characters');
  const id = randomUUID();
  const token = newChannelToken();
  // Standard Webhooks secrets: `whsec_` + base64 of 24 random bytes (utils/signature.ts decodes it).
  const signingSecret = options.signing ? `whsec_${randomBytes(24).toString('base64')}` : undefined;
  await db
    .insertInto('channels')
    .values({
      id,
      name,
      token_hash: tokenHash(token),
      signing_secret: signingSecret ?? null,
      created_at: (options.now ?? new Date()).toISOString(),
      revoked_at: null,
    })
    .execute();
  return { id, name, token, ...(signingSecret ? { signingSecret } : {}) };
}

export interface ChannelSummary {
  id: string;
  name: string;
  signing: boolean;
  createdAt: string;
  revokedAt: string | null;
}

export async function listChannels(db: DeskDb): Promise<ChannelSummary[]> {
  const rows = await db.selectFrom('channels').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, signing: row.signing_secret !== null, createdAt: row.created_at, revokedAt: row.revoked_at }));
}

/** Revokes a channel: its token stops working at once. Returns false when no such channel exists. */
export async function revokeChannel(db: DeskDb, id: string, now = new Date()): Promise<boolean> {
  const channel = await db.selectFrom('channels').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  if (!channel) return false;
  if (!channel.revoked_at) await db.updateTable('channels').set({ revoked_at: now.toISOString() }).where('id', '=', id).execute();
  return true;
}

/**
 * The enabled channel a bearer token belongs to, or undefined. The lookup is by the token's hash,
 * so the database index never compares secret bytes; the hash found is compared again in constant
 * time before it counts.
 */
export async function channelForToken(db: DeskDb, token: string): Promise<Channel | undefined> {
  const hash = tokenHash(token);
  const channel = await db.selectFrom('channels').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  if (!channel || channel.revoked_at) return undefined;
  return timingSafeEqual(Buffer.from(channel.token_hash, 'hex'), Buffer.from(hash, 'hex')) ? channel : undefined;
}

/**
 * A new bearer token for a channel (the old one stops working at once); returns it, shown once.
 * Undefined when there is no such channel or it is revoked.
 */
export async function rotateChannelToken(db: DeskDb, id: string): Promise<string | undefined> {
  const token = newChannelToken();
  const result = await db
    .updateTable('channels')
    .set({ token_hash: tokenHash(token) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? token : undefined;
}
