/** `GET /api/reports`: the queue page (filters, search, cursor), and the filters the export shares. */
import { QueueQuery, type QueuePage } from './contract';
import { ApiFailure, parseWith, reviewerRoute, type SignedIn } from './http';
import { decodeCursor, encodeCursor, queuePage, type Cursor, type QueueFilter } from '../store/queue';

/** A date `YYYY-MM-DD` as `from` is that day's start; as `to` the next day's start (the day included). */
function boundary(value: string | undefined, end: boolean, name: string): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(`${value}T00:00:00.000Z`);
    if (Number.isNaN(start)) throw new ApiFailure(400, 'bad_request', `${name} is not a date`);
    return new Date(end ? start + 86_400_000 : start).toISOString();
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new ApiFailure(400, 'bad_request', `${name} is not a date or date-time`);
  return new Date(at).toISOString();
}

/** The queue's filters from the query string, scoped to the caller's channels. */
export function queueFilter(request: SignedIn): { filter: QueueFilter; cursor: Cursor | undefined; limit: number } {
  const query = parseWith(QueueQuery, Object.fromEntries(request.query.entries()));
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (query.cursor && !cursor) throw new ApiFailure(400, 'bad_request', 'the cursor is not one this Desk gave');
  return {
    filter: {
      state: query.state,
      category: query.category,
      channel: query.channel,
      assignee: query.assignee === 'me' ? request.session.user.id : query.assignee,
      from: boundary(query.from, false, 'from'),
      to: boundary(query.to, true, 'to'),
      q: query.q || undefined,
      scope: request.session.user.role === 'admin' ? [] : request.session.channelIds,
    },
    cursor,
    limit: query.limit,
  };
}

export const queueRoutes = [
  reviewerRoute('GET', /^\/api\/reports$/, async (context, request): Promise<QueuePage> => {
    const { filter, cursor, limit } = queueFilter(request);
    const page = await queuePage(context.db, filter, cursor, limit);
    return { rows: page.rows, nextCursor: page.next ? encodeCursor(page.next) : null };
  }),
];
