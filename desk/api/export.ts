/**
 * `GET /api/export.csv` and `/api/export.json`: every report the queue's filters match (the
 * caller's channels only), newest first, read page by page; audited with the filters used.
 */
import { toCsv } from '../../utils/csv';
import { EXPORT_FORMATS, type QueueRow } from './contract';
import { ANSWERED, API_HEADERS, reviewerRoute, type ApiContext, type SignedIn } from './http';
import { queueFilter } from './queue';
import { actorOf } from './scope';
import { appendAudit } from '../store/audit';
import { queuePage, type Cursor } from '../store/queue';

const PAGE = 500;
/** One export answers at most this many rows (a larger one is narrowed with the filters). */
const EXPORT_MAX = 100_000;

const COLUMNS = [
  'id',
  'receipt',
  'receivedAt',
  'state',
  'outcome',
  'category',
  'subReason',
  'channel',
  'url',
  'title',
  'clusterId',
  'clusterSize',
  'assignee',
] as const;

async function matching(context: ApiContext, request: SignedIn): Promise<QueueRow[]> {
  const { filter } = queueFilter(request);
  const rows: QueueRow[] = [];
  let cursor: Cursor | undefined;
  do {
    const page = await queuePage(context.db, filter, cursor, PAGE);
    rows.push(...page.rows);
    cursor = page.next ?? undefined;
  } while (cursor && rows.length < EXPORT_MAX);
  await appendAudit(context.db, {
    actor: actorOf(request),
    action: 'export',
    subject: null,
    detail: { format: request.params[0], filter: Object.fromEntries(request.query.entries()), rows: rows.length },
    at: context.now(),
  });
  return rows;
}

function send(request: SignedIn, type: string, name: string, text: string): typeof ANSWERED {
  request.response.writeHead(200, {
    ...API_HEADERS,
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${name}"`,
    'Content-Length': String(Buffer.byteLength(text)),
  });
  request.response.end(text);
  return ANSWERED;
}

export const exportRoutes = [
  reviewerRoute('GET', new RegExp(`^/api/export\\.(${EXPORT_FORMATS.join('|')})$`), async (context, request) => {
    const rows = await matching(context, request);
    const day = context.now().toISOString().slice(0, 10);
    if (request.params[0] === 'json')
      return send(request, 'application/json; charset=utf-8', `flagline-desk-${day}.json`, `${JSON.stringify({ reports: rows }, null, 2)}\n`);
    const data = rows.map((row) => [
      row.id,
      row.receipt,
      row.receivedAt,
      row.state,
      row.outcome ?? '',
      row.category,
      row.subReason ?? '',
      row.channelName,
      row.url,
      row.title,
      row.clusterId,
      row.clusterSize,
      row.assignee?.email ?? '',
    ]);
    return send(request, 'text/csv; charset=utf-8', `flagline-desk-${day}.csv`, toCsv(COLUMNS, data));
  }),
];
