/**
 * `POST /v1/reports` (docs/protocol.md): the order of checks is the order of the table there —
 * token, content type, size, signature, JSON, envelope — and each failure stores nothing. Reports
 * that pass are checked one by one (desk/intake/prepare.ts) and stored in one transaction
 * (desk/store/ingest.ts); the answer goes out only after it committed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BATCH_MAX_REPORTS, type ReportResult } from '../../utils/schema/wire';
import { channelForToken } from '../store/channels';
import type { DeskDb } from '../store/engine';
import { storeBatch } from '../store/ingest';
import type { StatusTokens } from '../store/status-tokens';
import { BodyTooLargeError, bearerToken, readBody, sendJson, sendReason } from '../http/respond';
import { prepareReport, type PreparedReport } from './prepare';
import { createReplayGuard, WEBHOOK_ID_MAX } from '../store/replay';
import { SIGNATURE_TOLERANCE_S, STALE_TIMESTAMP, verifySignature } from './signature';

export interface IntakeContext {
  db: DeskDb;
  tokens: StatusTokens;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Intake requests handled at once; more are answered 429 at once instead of queueing. */
  maxInFlight: number;
  /**
   * Declared body bytes (Content-Length) being handled at once; a request that would go over is
   * answered 429 unless it is the only one. Bounds the Desk's memory under a burst of big batches.
   */
  maxInFlightBytes: number;
  now?: () => Date;
  /** Called after a batch committed (the `npm start` console, tests). */
  onStored?: (results: readonly ReportResult[], channelId: string) => void;
}

const Envelope = z.object({ reports: z.array(z.unknown()).min(1).max(BATCH_MAX_REPORTS) });

export function createIntakeHandler(context: IntakeContext) {
  const firstSeen = createReplayGuard(context.db, SIGNATURE_TOLERANCE_S);
  let inFlight = 0;
  let bytesInFlight = 0;
  return async function handleIntake(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const declared = Number(request.headers['content-length']);
    const bytes = Number.isFinite(declared) && declared > 0 ? declared : 0;
    if (inFlight >= context.maxInFlight || (inFlight > 0 && bytesInFlight + bytes > context.maxInFlightBytes)) {
      // Overloaded: say when to come back instead of letting the request time out.
      return sendReason(response, 429, 'the Desk is busy; try again shortly', { 'Retry-After': '2', Connection: 'close' });
    }
    inFlight++;
    bytesInFlight += bytes;
    try {
      await intake(context, firstSeen, request, response);
    } finally {
      inFlight--;
      bytesInFlight -= bytes;
    }
  };
}

async function intake(
  context: IntakeContext,
  firstSeen: ReturnType<typeof createReplayGuard>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const token = bearerToken(request);
  const channel = token ? await channelForToken(context.db, token) : undefined;
  if (!channel) return sendReason(response, 401, 'missing, wrong or revoked access token', { 'WWW-Authenticate': 'Bearer', Connection: 'close' });

  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    return sendReason(response, 415, 'Content-Type must be application/json', { Connection: 'close' });
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > context.maxBodyBytes) {
    return sendReason(response, 413, `the body is larger than ${context.maxBodyBytes} bytes; send fewer reports per request`, { Connection: 'close' });
  }
  let body: Buffer;
  try {
    body = await readBody(request, context.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendReason(response, 413, `${error.message}; send fewer reports per request`, { Connection: 'close' });
    throw error;
  }
  if (channel.signing_secret) {
    const problem = verifySignature(channel.signing_secret, request.headers, body);
    // `code` lets the extension tell the reporter to check their clock, and keep retrying.
    if (problem === STALE_TIMESTAMP) return sendJson(response, 401, { reason: problem, code: 'clock_skew' });
    if (problem) return sendReason(response, 401, problem);
    // Verified, so both headers are strings; the same pair again is a captured request sent twice.
    const webhookId = String(request.headers['webhook-id']);
    if (webhookId.length > WEBHOOK_ID_MAX) return sendReason(response, 401, `webhook-id is longer than ${WEBHOOK_ID_MAX} characters`);
    if (!(await firstSeen(channel.id, webhookId, String(request.headers['webhook-timestamp'])))) {
      // `code`: a sender's own resend within the same second looks the same; it retries, signed anew.
      return sendJson(response, 401, { reason: 'this signed request was already received (a replay): each attempt is signed anew', code: 'replay' });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return sendReason(response, 400, `the body is not valid JSON: ${(error as Error).message}`);
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return sendReason(response, 400, `expected { "reports": [ 1 to ${BATCH_MAX_REPORTS} reports ] }`);

  const prepared = await Promise.all(envelope.data.reports.map((raw) => prepareReport(raw)));
  const valid = prepared.filter((entry): entry is PreparedReport => entry.ok);
  const stored = await storeBatch(context.db, channel.id, valid, context.tokens, context.now);
  let next = 0;
  const results: ReportResult[] = prepared.map((entry) =>
    entry.ok ? (stored[next++] as ReportResult) : { id: entry.id, status: 'rejected', reason: entry.reason },
  );
  context.onStored?.(results, channel.id);
  sendJson(response, 200, { results });
}
