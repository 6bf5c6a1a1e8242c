/**
 * `GET /v1/reports/{id}/status` with `Authorization: Bearer <statusToken>`: the reporter's view of
 * a report — its state and when it last changed, nothing a reviewer wrote for reviewers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReportId } from '../../utils/schema/common';
import { ReportStatus } from '../../utils/schema/wire';
import type { DeskDb } from '../store/engine';
import type { StatusTokens } from '../store/status-tokens';
import { bearerToken, sendJson, sendReason } from '../http/respond';

export async function reportStatus(db: DeskDb, id: string): Promise<ReportStatus | undefined> {
  const row = await db.selectFrom('reports').select(['id', 'state', 'updated_at']).where('id', '=', id).executeTakeFirst();
  return row ? ReportStatus.parse({ id: row.id, state: row.state, updatedAt: row.updated_at }) : undefined;
}

export function createStatusHandler(context: { db: DeskDb; tokens: StatusTokens }) {
  return async function handleStatus(request: IncomingMessage, response: ServerResponse, rawId: string): Promise<void> {
    const id = ReportId.safeParse(rawId);
    if (!id.success) return sendReason(response, 404, 'no such report');
    const token = bearerToken(request);
    if (!token || !context.tokens.verify(id.data, token)) return sendReason(response, 401, 'missing or wrong status token', { 'WWW-Authenticate': 'Bearer' });
    const status = await reportStatus(context.db, id.data);
    if (!status) return sendReason(response, 404, 'no such report');
    sendJson(response, 200, status);
  };
}
