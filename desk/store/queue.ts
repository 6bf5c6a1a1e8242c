/**
 * The queue: reports newest first (received_at, id), filtered, one page at a time with a keyset
 * cursor, so page 1 and page 20,000 cost the same. With a search the walk starts from the
 * postings of one term (desk/store/search.ts), already in received_at order; without one, from
 * the reports indexes. Either way no sort of the matching set happens.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { QueueRow } from '../api/contract';
import type { DeskDb } from './engine';
import { prefixEnd, queryTerms } from './search';
import type { DeskTables } from './tables';

export interface QueueFilter {
  state?: string | undefined;
  category?: string | undefined;
  channel?: string | undefined;
  /** A user id, or `none` for unassigned. */
  assignee?: string | undefined;
  /** ISO date-times: received at or after `from`, before `to`. */
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  /** The reviewer's channels; undefined or empty: every channel. */
  scope?: readonly string[] | undefined;
}

export interface Cursor {
  receivedAt: string;
  id: string;
}

export const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify([cursor.receivedAt, cursor.id])).toString('base64url');

export function decodeCursor(text: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string')
      return { receivedAt: value[0], id: value[1] };
  } catch {
    // falls through
  }
  return undefined;
}

type Db = DeskTables & { r: DeskTables['reports']; p: DeskTables['search_postings'] };

/** Conditions on the report `r` every queue read shares. */
function filterConditions(eb: ExpressionBuilder<Db, 'r'>, filter: QueueFilter): Expression<SqlBool> {
  const all: Array<Expression<SqlBool>> = [];
  if (filter.state) all.push(eb('r.state', '=', filter.state));
  if (filter.category) all.push(eb('r.category', '=', filter.category));
  if (filter.channel) all.push(eb('r.channel_id', '=', filter.channel));
  if (filter.scope && filter.scope.length > 0) all.push(eb('r.channel_id', 'in', [...filter.scope]));
  if (filter.assignee === 'none') all.push(eb('r.assignee_id', 'is', null));
  else if (filter.assignee) all.push(eb('r.assignee_id', '=', filter.assignee));
  return eb.and(all);
}

/** One page of queue rows and the cursor of the next, or null at the end. */
export async function queuePage(
  db: DeskDb,
  filter: QueueFilter,
  cursor: Cursor | undefined,
  limit: number,
): Promise<{ rows: QueueRow[]; next: Cursor | null }> {
  const terms = filter.q ? queryTerms(filter.q) : undefined;
  if (filter.q && !terms) return { rows: [], next: null };
  const [drive, ...others] = terms?.exact ?? [];
  const prefixes = terms?.prefixes ?? [];

  let ids: Array<{ id: string; received_at: string }>;
  if (drive !== undefined) {
    // Walk one term's postings newest first; every other term must also be there.
    let query = db
      .selectFrom('search_postings as p')
      .innerJoin('reports as r', 'r.id', 'p.report_id')
      .select(['p.report_id as id', 'p.received_at'])
      .where('p.term', '=', drive);
    for (const term of others) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('search_postings as o')
            .select(sql`1`.as('one'))
            .where('o.term', '=', term)
            .whereRef('o.report_id', '=', 'p.report_id'),
        ),
      );
    }
    for (const prefix of prefixes) query = query.where((eb) => prefixExists(eb, prefix, 'p.report_id'));
    if (filter.from) query = query.where('p.received_at', '>=', filter.from);
    if (filter.to) query = query.where('p.received_at', '<', filter.to);
    if (cursor) query = query.where((eb) => eb(eb.refTuple('p.received_at', 'p.report_id'), '<', eb.tuple(cursor.receivedAt, cursor.id)));
    query = query.where((eb) => filterConditions(eb, filter));
    ids = await query
      .orderBy('p.received_at', 'desc')
      .orderBy('p.report_id', 'desc')
      .limit(limit + 1)
      .execute();
  } else {
    let query = db.selectFrom('reports as r').select(['r.id', 'r.received_at']);
    for (const prefix of prefixes) query = query.where((eb) => prefixExists(eb, prefix, 'r.id'));
    if (filter.from) query = query.where('r.received_at', '>=', filter.from);
    if (filter.to) query = query.where('r.received_at', '<', filter.to);
    if (cursor) query = query.where((eb) => eb(eb.refTuple('r.received_at', 'r.id'), '<', eb.tuple(cursor.receivedAt, cursor.id)));
    query = query.where((eb) => filterConditions(eb, filter));
    ids = await query
      .orderBy('r.received_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(limit + 1)
      .execute();
  }
  const page = ids.slice(0, limit);
  const rows = await queueRows(
    db,
    page.map((row) => row.id),
  );
  const last = page.at(-1);
  return { rows, next: ids.length > limit && last ? { receivedAt: last.received_at, id: last.id } : null };
}

function prefixExists(eb: ExpressionBuilder<Db, 'r' | 'p'>, prefix: string, reportRef: 'p.report_id' | 'r.id') {
  return eb.exists(
    eb
      .selectFrom('search_postings as x')
      .select(sql`1`.as('one'))
      .whereRef('x.report_id', '=', reportRef)
      .where('x.term', '>=', prefix)
      .where('x.term', '<', prefixEnd(prefix)),
  );
}

/** The queue rows of the given reports, in the given order. */
export async function queueRows(db: DeskDb, ids: readonly string[]): Promise<QueueRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('reports as r')
    .innerJoin('channels as c', 'c.id', 'r.channel_id')
    .leftJoin('users as u', 'u.id', 'r.assignee_id')
    .select([
      'r.id',
      'r.receipt',
      'r.title',
      'r.url',
      'r.category',
      'r.sub_reason',
      'r.channel_id',
      'c.name as channel_name',
      'r.received_at',
      'r.state',
      'r.outcome',
      'r.assignee_id',
      'u.email as assignee_email',
      'r.cluster_id',
    ])
    .select((eb) =>
      eb
        .selectFrom('reports as s')
        .select((inner) => inner.fn.countAll<number | string>().as('n'))
        .whereRef('s.cluster_id', '=', 'r.cluster_id')
        .as('cluster_size'),
    )
    .where('r.id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        id: row.id,
        receipt: row.receipt,
        title: row.title,
        url: row.url,
        category: row.category,
        subReason: row.sub_reason,
        channelId: row.channel_id,
        channelName: row.channel_name,
        receivedAt: row.received_at,
        state: row.state as QueueRow['state'],
        outcome: row.outcome as QueueRow['outcome'],
        assignee: row.assignee_id ? { id: row.assignee_id, email: row.assignee_email ?? '' } : null,
        clusterId: row.cluster_id,
        clusterSize: Number(row.cluster_size ?? 1),
      },
    ];
  });
}
