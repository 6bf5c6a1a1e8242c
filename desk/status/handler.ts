/**
 * The reporter's view of a report — its state, the outcome and the public note once reviewers
 * decided, and when it last changed; nothing reviewers wrote for reviewers.
 *
 * - `GET /v1/reports/{id}/status` with `Authorization: Bearer <statusToken>`.
 * - `POST /v1/reports/status` with `{ reports: [{ id, token }…] }` (at most 100): one answer per
 *   report whose token matches; unknown ids and wrong tokens are simply left out, so the answer
 *   does not tell which ids exist. No cookies are read on either.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReportId } from '../../utils/schema/common';
import { ReportStatus, StatusBatchRequest, type StatusBatchResponse } from '../../utils/schema/wire';
import type { DeskDb } from '../store/engine';
import type { StatusTokens } from '../store/status-tokens';
import { BodyTooLargeError, bearerToken, readBody, sendJson, sendReason } from '../http/respond';

/** Every id costs the same HMAC whether it exists or not. */
async function statusesOf(db: DeskDb, ids: readonly string[]): Promise<ReportStatus[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'state', 'outcome', 'public_note', 'updated_at', 'decided_at'])
    .where('id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    // The later of the newest revision and the newest decision.
    const updatedAt = row.decided_at && row.decided_at > row.updated_at ? row.decided_at : row.updated_at;
    return [
      ReportStatus.parse({
        id: row.id,
        state: row.state,
        ...(row.state === 'closed' && row.outcome ? { outcome: row.outcome } : {}),
        ...(row.public_note ? { publicNote: row.public_note } : {}),
        updatedAt,
      }),
    ];
  });
}

export function createStatusHandler(context: { db: DeskDb; tokens: StatusTokens }) {
  return async function handleStatus(request: IncomingMessage, response: ServerResponse, rawId: string): Promise<void> {
    const id = ReportId.safeParse(rawId);
    if (!id.success) return sendReason(response, 404, 'no such report');
    const token = bearerToken(request);
    if (!token || !context.tokens.verify(id.data, token)) return sendReason(response, 401, 'missing or wrong status token', { 'WWW-Authenticate': 'Bearer' });
    const [status] = await statusesOf(context.db, [id.data]);
    if (!status) return sendReason(response, 404, 'no such report');
    sendJson(response, 200, status);
  };
}

const BATCH_BODY_MAX = 64 * 1024;

export function createStatusBatchHandler(context: { db: DeskDb; tokens: StatusTokens }) {
  return async function handleStatusBatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) return sendReason(response, 415, 'Content-Type must be application/json');
    let json: unknown;
    try {
      json = JSON.parse((await readBody(request, BATCH_BODY_MAX)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendReason(response, 413, error.message);
      return sendReason(response, 400, 'the body is not valid JSON');
    }
    const parsed = StatusBatchRequest.safeParse(json);
    if (!parsed.success) return sendReason(response, 400, 'expected { "reports": [ 1 to 100 of { "id", "token" } ] }');
    // Every token is checked (constant-time each) before the database is asked about any id.
    const ids = [...new Set(parsed.data.reports.filter((entry) => context.tokens.verify(entry.id, entry.token)).map((entry) => entry.id))];
    const answer: StatusBatchResponse = { results: await statusesOf(context.db, ids) };
    sendJson(response, 200, answer);
  };
}
