/**
 * Notifiers (admins): the group robots that get a digest of new reports. The logic is
 * desk/notify/store.ts's; these routes parse, authorise, audit and answer. The webhook URL and
 * secret never go into the audit log or an answer (answers list the URL masked).
 */
import { CreateNotifierRequest, type Notifier, type NotifierList, type NotifierTestResult } from './contract';
import { ApiFailure, adminRoute, readJson } from './http';
import { actorOf } from './scope';
import { createNotifier, deleteNotifier, listNotifiers, NotifierInputError, sendTestNotification } from '../notify/store';
import { appendAudit } from '../store/audit';

const noSuchNotifier = () => new ApiFailure(404, 'not_found', 'no such notifier');

export const notifierRoutes = [
  adminRoute('GET', /^\/api\/notifiers$/, async (context): Promise<NotifierList> => ({ notifiers: await listNotifiers(context.db) })),

  adminRoute('POST', /^\/api\/notifiers$/, async (context, request): Promise<Notifier> => {
    const input = await readJson(request, CreateNotifierRequest);
    let created: Notifier;
    try {
      created = await createNotifier(context.db, input, context.now());
    } catch (error) {
      if (error instanceof NotifierInputError) throw new ApiFailure(400, 'bad_request', error.message);
      throw error;
    }
    await appendAudit(context.db, {
      actor: actorOf(request),
      action: 'notifier_create',
      subject: created.id,
      detail: { kind: created.kind, name: created.name },
      at: context.now(),
    });
    return created;
  }),

  adminRoute('DELETE', /^\/api\/notifiers\/([^/]+)$/, async (context, request) => {
    const id = request.params[0] ?? '';
    if (!(await deleteNotifier(context.db, id))) throw noSuchNotifier();
    await appendAudit(context.db, { actor: actorOf(request), action: 'notifier_delete', subject: id, at: context.now() });
    return { ok: true };
  }),

  adminRoute('POST', /^\/api\/notifiers\/([^/]+)\/test$/, async (context, request): Promise<NotifierTestResult> => {
    const tested = await sendTestNotification(context.db, request.params[0] ?? '', context.fetchFn, { now: context.now });
    if (!tested) throw noSuchNotifier();
    const { outcome, notifier } = tested;
    return outcome.ok
      ? { sent: true, rateLimited: false, error: null, notifier }
      : { sent: false, rateLimited: outcome.rateLimited, error: outcome.error, notifier };
  }),
];
