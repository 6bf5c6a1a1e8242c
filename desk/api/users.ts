/** Accounts (admins): list, create, change role / disabled / channel assignments. */
import { CreateUserRequest, UpdateUserRequest, type UserList } from './contract';
import { ApiFailure, adminRoute, readJson } from './http';
import { actorOf } from './scope';
import { appendAudit } from '../store/audit';
import { createUser, listUsers, updateUser, UserExistsError, userSummary } from '../store/users';

export const userRoutes = [
  adminRoute('GET', /^\/api\/users$/, async (context): Promise<UserList> => ({ users: await listUsers(context.db) })),

  adminRoute('POST', /^\/api\/users$/, async (context, request) => {
    const input = await readJson(request, CreateUserRequest);
    try {
      const user = await createUser(context.db, input, context.now());
      await appendAudit(context.db, {
        actor: actorOf(request),
        action: 'user_create',
        subject: user.id,
        detail: { email: user.email, role: user.role },
        at: context.now(),
      });
      return user;
    } catch (error) {
      if (error instanceof UserExistsError) throw new ApiFailure(409, 'conflict', error.message);
      throw error;
    }
  }),

  adminRoute('PATCH', /^\/api\/users\/([^/]+)$/, async (context, request) => {
    const id = request.params[0] ?? '';
    const change = await readJson(request, UpdateUserRequest);
    const before = await userSummary(context.db, id);
    if (!before) throw new ApiFailure(404, 'not_found', 'no such user');
    // The Desk must keep an admin who can sign in.
    const losesAdmin = before.role === 'admin' && !before.disabled && (change.role === 'reviewer' || change.disabled === true);
    if (losesAdmin) {
      const admins = (await listUsers(context.db)).filter((user) => user.role === 'admin' && !user.disabled);
      if (admins.length <= 1) throw new ApiFailure(409, 'conflict', 'this is the last admin; make another admin first');
    }
    if (change.channelIds?.length) {
      const known = await context.db.selectFrom('channels').select('id').where('id', 'in', change.channelIds).execute();
      if (known.length !== new Set(change.channelIds).size)
        throw new ApiFailure(400, 'bad_request', 'unknown channel', {}, [{ path: 'channelIds', message: 'unknown channel' }]);
    }
    const after = await updateUser(context.db, id, change);
    await appendAudit(context.db, { actor: actorOf(request), action: 'user_update', subject: id, detail: { ...change }, at: context.now() });
    return after;
  }),
];
