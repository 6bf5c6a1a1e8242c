/**
 * Notifiers: the group robots (DingTalk, WeCom, Feishu) an admin connects to the Desk. The
 * webhook URL and signing secret are the robot's credentials: they are stored as given (the Desk
 * must present them to send), listed only masked, and never put in an error message.
 * The Desk's routes (`/api/notifiers…`, desk/api/contract.ts) call these functions.
 */
import { randomUUID } from 'node:crypto';
import type { Updateable } from 'kysely';
import type { z } from 'zod';
import { isLoopbackHost } from '../../utils/schema/settings';
import { CreateNotifierRequest, type Notifier } from '../api/contract';
import type { DeskDb } from '../store/engine';
import type { NotifierTable } from '../store/notifier-table';
import { testMessage } from './digest';
import { maskWebhookUrl, PLATFORMS, postToRobot, type FetchFn, type Kind, type RobotMessage, type SendOutcome } from './platforms';
import { deskRateLimiter, type NotifierRateLimiter } from './rate-limit';

type NotifierView = z.infer<typeof Notifier>;
type NotifierRow = NotifierTable;

/** The input was refused (answered as 400 by the routes). */
export class NotifierInputError extends Error {}

function toView(row: NotifierRow): NotifierView {
  return {
    id: row.id,
    kind: row.kind as Kind,
    name: row.name,
    webhookUrl: maskWebhookUrl(row.webhook_url),
    hasSecret: row.secret !== null,
    createdAt: row.created_at,
    lastSentAt: row.last_sent_at,
    lastError: row.last_error,
  };
}

export async function listNotifiers(db: DeskDb): Promise<NotifierView[]> {
  const rows = await db.selectFrom('notifiers').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toView);
}

/**
 * Robots are reached over HTTPS; plain HTTP only on loopback (a local relay, the tests' fake
 * robots), so a webhook token never crosses a network in clear text.
 */
function checkWebhookUrl(webhookUrl: string): void {
  const url = new URL(webhookUrl);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new NotifierInputError('a webhook URL must use https (plain http only on loopback)');
}

export async function createNotifier(db: DeskDb, input: z.infer<typeof CreateNotifierRequest>, now: Date = new Date()): Promise<NotifierView> {
  const parsed = CreateNotifierRequest.safeParse(input);
  if (!parsed.success) throw new NotifierInputError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  const { kind, name, webhookUrl, secret } = parsed.data;
  checkWebhookUrl(webhookUrl);
  if (secret && kind === 'wecom') throw new NotifierInputError('WeCom robots do not sign: their key is part of the webhook URL');
  const row: NotifierRow = {
    id: randomUUID(),
    kind,
    name,
    webhook_url: webhookUrl,
    secret: secret ? secret : null,
    created_at: now.toISOString(),
    last_sent_at: null,
    last_error: null,
    // A new robot hears about reports from now on, not the Desk's whole history.
    digest_after_at: now.toISOString(),
    digest_after_id: '',
  };
  await db.insertInto('notifiers').values(row).execute();
  return toView(row);
}

/** False when there is no such notifier. */
export async function deleteNotifier(db: DeskDb, id: string, limiter: NotifierRateLimiter = deskRateLimiter): Promise<boolean> {
  const result = await db.deleteFrom('notifiers').where('id', '=', id).executeTakeFirst();
  limiter.forget(id);
  return Number(result.numDeletedRows) > 0;
}

export interface DeliveryOptions {
  now?: () => Date;
  limiter?: NotifierRateLimiter;
}

/**
 * The one way a message leaves for a robot: within its rate limit, and with the result recorded
 * (`lastSentAt` on success, `lastError` otherwise; `onSuccess` columns are written with the
 * success, e.g. the digest cursor). A message held back by the rate limit is not sent and not an error.
 */
export async function deliverAndRecord(
  db: DeskDb,
  row: NotifierRow,
  message: RobotMessage,
  fetchFn: FetchFn,
  options: DeliveryOptions & { onSuccess?: Updateable<NotifierTable> } = {},
): Promise<SendOutcome> {
  const now = options.now ?? (() => new Date());
  const limiter = options.limiter ?? deskRateLimiter;
  const platform = PLATFORMS[row.kind as Kind];
  if (!limiter.tryTake(row.id, platform.limits, now().getTime())) {
    return { ok: false, rateLimited: true, error: `held back: ${platform.label} allows only so many messages a minute` };
  }
  const outcome = await postToRobot({ kind: row.kind as Kind, webhookUrl: row.webhook_url, secret: row.secret }, message, fetchFn, now());
  const at = now();
  if (outcome.ok) {
    await db
      .updateTable('notifiers')
      .set({ ...options.onSuccess, last_sent_at: at.toISOString(), last_error: null })
      .where('id', '=', row.id)
      .execute();
  } else {
    if (outcome.rateLimited) limiter.pause(row.id, at.getTime() + platform.penaltyMs);
    await db
      .updateTable('notifiers')
      .set({ last_error: `${at.toISOString()} ${outcome.error}` })
      .where('id', '=', row.id)
      .execute();
  }
  return outcome;
}

/** `POST /api/notifiers/{id}/test`: undefined when there is no such notifier. */
export async function sendTestNotification(
  db: DeskDb,
  id: string,
  fetchFn: FetchFn,
  options: DeliveryOptions = {},
): Promise<{ outcome: SendOutcome; notifier: NotifierView } | undefined> {
  const row = await db.selectFrom('notifiers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const outcome = await deliverAndRecord(db, row, testMessage(row.name), fetchFn, options);
  const updated = await db.selectFrom('notifiers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { outcome, notifier: toView(updated) };
}
