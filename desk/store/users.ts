/**
 * Reviewer and admin accounts. Emails are stored lower-case (the contract's `Email` schema folds
 * them); a disabled user cannot sign in and their sessions end at once.
 */
import { randomUUID } from 'node:crypto';
import type { Role, UserSummary } from '../api/contract';
import { hashPassword } from '../auth/password';
import type { DeskDb } from './engine';
import type { User } from './tables';

export class UserExistsError extends Error {}

export async function createUser(db: DeskDb, input: { email: string; role: Role; password: string }, now = new Date()): Promise<UserSummary> {
  const email = input.email.trim().toLowerCase();
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new UserExistsError(`a user with the email ${email} exists already`);
  const id = randomUUID();
  await db
    .insertInto('users')
    .values({
      id,
      email,
      password_hash: await hashPassword(input.password),
      role: input.role,
      disabled: 0,
      created_at: now.toISOString(),
      last_sign_in_at: null,
    })
    .execute();
  return { id, email, role: input.role, disabled: false, channelIds: [], createdAt: now.toISOString(), lastSignInAt: null };
}

export const findUserByEmail = (db: DeskDb, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();

export const findUser = (db: DeskDb, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

/** The channels a user is limited to; empty means every channel. */
export async function userChannelIds(db: DeskDb, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_channels').select('channel_id').where('user_id', '=', userId).orderBy('channel_id').execute();
  return rows.map((row) => row.channel_id);
}

function summary(user: User, channelIds: string[]): UserSummary {
  return {
    id: user.id,
    email: user.email,
    role: user.role as Role,
    disabled: user.disabled === 1,
    channelIds,
    createdAt: user.created_at,
    lastSignInAt: user.last_sign_in_at,
  };
}

export async function listUsers(db: DeskDb): Promise<UserSummary[]> {
  const users = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('email').execute();
  const assignments = await db.selectFrom('user_channels').selectAll().orderBy('channel_id').execute();
  return users.map((user) =>
    summary(
      user,
      assignments.filter((a) => a.user_id === user.id).map((a) => a.channel_id),
    ),
  );
}

export async function userSummary(db: DeskDb, id: string): Promise<UserSummary | undefined> {
  const user = await findUser(db, id);
  return user ? summary(user, await userChannelIds(db, id)) : undefined;
}

/** Changes role, disabled flag and channel assignments; a disabled user's sessions are ended. */
export async function updateUser(
  db: DeskDb,
  id: string,
  change: { role?: Role | undefined; disabled?: boolean | undefined; channelIds?: string[] | undefined },
): Promise<UserSummary | undefined> {
  await db.transaction().execute(async (trx) => {
    if (change.role !== undefined) await trx.updateTable('users').set({ role: change.role }).where('id', '=', id).execute();
    if (change.disabled !== undefined) {
      await trx
        .updateTable('users')
        .set({ disabled: change.disabled ? 1 : 0 })
        .where('id', '=', id)
        .execute();
      if (change.disabled) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    }
    if (change.channelIds !== undefined) {
      await trx.deleteFrom('user_channels').where('user_id', '=', id).execute();
      const unique = [...new Set(change.channelIds)];
      if (unique.length > 0)
        await trx
          .insertInto('user_channels')
          .values(unique.map((channel_id) => ({ user_id: id, channel_id })))
          .execute();
    }
  });
  return userSummary(db, id);
}

export async function hasAdmin(db: DeskDb): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0).executeTakeFirst();
  return row !== undefined;
}
