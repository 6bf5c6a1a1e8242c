import { receiptFields } from '../reports/lifecycle';
import type { DeliveryError, ReceiptFields, ReportRecord } from '../schema/record';
import { BatchResponse, type ReportResult } from '../schema/wire';
import type { EffectiveSettings } from '../settings';
import { sha256Hex, signatureHeaders } from '../signature';
import { isRetryableStatus, parseRetryAfter } from './backoff';
import { batchBody, type ClaimedBatch } from './claim';
import type { OutboxDeps, OutboxLimits } from './limits';

/**
 * The HTTP channel: one request per batch, and what its answer means for each report
 * (docs/protocol.md): a 2xx with per-report results or bare; 410 pauses the channel; 408, 429,
 * 5xx and network errors are retried (honouring Retry-After); any other 4xx refuses the batch.
 * Secrets never reach a stored error.
 */

/** What one attempt came to, for one report. */
export type Outcome =
  | ({ kind: 'sent'; result: 'accepted' | 'duplicate' } & ReceiptFields)
  | { kind: 'failed'; error: DeliveryError }
  | { kind: 'retry'; error: DeliveryError; notBefore?: number };

/** Replaces every secret in text meant for the user, the ledger or logs. */
function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/**
 * Why a fetch failed without an answer it could read. First a `cors` GET that does not follow
 * redirects: an opaque redirect means the endpoint redirects (a followed probe would have called
 * that CORS). Then a `no-cors` request, which cannot read the answer but resolves when the server
 * answered at all: reachable + failed fetch = CORS (or another policy block), which host
 * permission for that origin fixes. Neither carries report data or credentials.
 */
async function diagnoseFailure(deps: OutboxDeps, limits: OutboxLimits, endpoint: string): Promise<'redirect' | 'cors' | 'network'> {
  const probe = (init: RequestInit) =>
    deps.fetch(endpoint, { method: 'GET', credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(limits.probeTimeoutMs), ...init });
  try {
    const answer = await probe({ mode: 'cors', redirect: 'manual' });
    if (answer.type === 'opaqueredirect') return 'redirect';
  } catch {
    // Refused by CORS (a redirect without CORS headers included), or unreachable: ask no-cors.
  }
  try {
    // (`redirect: 'manual'` is not allowed with `no-cors`: Chromium fails such a fetch at once.)
    await probe({ mode: 'no-cors' });
    return 'cors';
  } catch {
    return 'network';
  }
}

/** The `code` of an error answer (the Desk's 401s carry one), if any. */
function answerCode(text: string): unknown {
  try {
    return (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    return undefined;
  }
}

/** Whether a 401 says the signature's time is off (the Desk's `code`, or the answer's `Date` header). */
function clockRefused(response: Response, text: string, now: number): boolean {
  if (answerCode(text) === 'clock_skew') return true;
  const date = Date.parse(response.headers.get('Date') ?? '');
  return Number.isFinite(date) && Math.abs(date - now) > CLOCK_TOLERANCE_MS;
}
/** Standard Webhooks receivers refuse timestamps more than 5 minutes away. */
const CLOCK_TOLERANCE_MS = 5 * 60_000;

/** Posts one batch (signed when a secret is set) and turns the answer into an outcome per report. */
export async function deliverBatch(
  deps: OutboxDeps,
  limits: OutboxLimits,
  settings: EffectiveSettings,
  { records: batch, bodies }: ClaimedBatch,
  secrets: string[],
): Promise<Map<string, Outcome>> {
  const all = (outcome: Outcome) => new Map(batch.map((r) => [r.id, outcome]));
  const body = batchBody(bodies);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (settings.accessToken) headers.Authorization = `Bearer ${settings.accessToken}`;
  if (settings.signingSecret) {
    // The message id depends only on the exact body, so a resent batch keeps its webhook-id.
    const messageId = `msg_${(await sha256Hex(body)).slice(0, 32)}`;
    try {
      Object.assign(headers, await signatureHeaders(settings.signingSecret, messageId, deps.clock() / 1000, body));
    } catch (error) {
      // A secret that cannot sign (one saved before the strict check, say): recorded and shown
      // on every report of the batch, which waits for the settings to be fixed; nothing is sent.
      return all({ kind: 'retry', error: { kind: 'signing', detail: redact(errorDetail(error), secrets), at: deps.clock() } });
    }
  }
  let response: Response;
  try {
    response = await deps.fetch(settings.endpointUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(limits.requestTimeoutMs),
      credentials: 'omit',
      cache: 'no-store',
      // Report data goes to the configured endpoint only, never where a redirect points: a
      // redirect is not followed, and said as such.
      redirect: 'manual',
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    const kind: DeliveryError['kind'] = timedOut
      ? 'timeout'
      : error instanceof TypeError
        ? await diagnoseFailure(deps, limits, settings.endpointUrl)
        : 'network';
    return all({ kind: 'retry', error: { kind, detail: redact(errorDetail(error), secrets), at: deps.clock() } });
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    return all({ kind: 'retry', error: { kind: 'redirect', detail: 'the endpoint redirects', at: deps.clock() } });
  }

  const text = await response.text().catch(() => '');
  const now = deps.clock();
  if (response.ok) return perReportOutcomes(batch, text, now, secrets, settings.endpointUrl);
  const detail = redact(reasonFromBody(text), secrets);
  if (response.status === 410) return all({ kind: 'retry', error: { kind: 'gone', status: 410, detail, at: now } });
  // A signed request refused for its time: this computer's clock is off. Retried, not failed:
  // it goes through once the clock is right.
  if (response.status === 401 && settings.signingSecret && clockRefused(response, text, now)) {
    return all({ kind: 'retry', error: { kind: 'clock', status: 401, detail, at: now } });
  }
  // Refused as a replay: this very batch went out within the same second (a forced retry, say).
  // The next attempt is signed with a later time.
  if (response.status === 401 && settings.signingSecret && answerCode(text) === 'replay') {
    return all({ kind: 'retry', error: { kind: 'http', status: 401, detail, at: now } });
  }
  const error: DeliveryError = { kind: 'http', status: response.status, detail, at: now };
  if (isRetryableStatus(response.status)) {
    const wait = parseRetryAfter(response.headers.get('Retry-After'), now);
    return all({ kind: 'retry', error, ...(wait === undefined ? {} : { notBefore: now + wait }) });
  }
  return all({ kind: 'failed', error });
}

/** A 2xx: per-report results when the endpoint gives them; a bare 2xx means all accepted. */
function perReportOutcomes(batch: ReportRecord[], text: string, now: number, secrets: string[], endpoint: string): Map<string, Outcome> {
  let results: ReportResult[] | undefined;
  if (text.trim()) {
    try {
      const parsed = BatchResponse.safeParse(JSON.parse(text));
      results = parsed.success ? parsed.data.results : undefined;
    } catch {
      results = undefined;
    }
  }
  const byId = new Map(results?.map((r) => [r.id, r]));
  return new Map(
    batch.map((record): [string, Outcome] => {
      if (!results) return [record.id, { kind: 'sent', result: 'accepted' }];
      const result = byId.get(record.id);
      if (!result) return [record.id, { kind: 'retry', error: { kind: 'unconfirmed', at: now } }];
      if (result.status === 'rejected') {
        return [record.id, { kind: 'failed', error: { kind: 'rejected', detail: redact(result.reason ?? '', secrets), at: now } }];
      }
      // A status address elsewhere than the endpoint's origin is ignored: status checks send the
      // tokens only where the reports went.
      const statusUrl = result.statusUrl && new URL(result.statusUrl).origin === new URL(endpoint).origin ? result.statusUrl : undefined;
      return [record.id, { kind: 'sent', result: result.status, ...receiptFields({ ...result, statusUrl }) }];
    }),
  );
}

function errorDetail(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}

/** A short human-readable reason from an error body: JSON `reason`/`error`/`message`, else text. */
export function reasonFromBody(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['reason', 'error', 'message']) {
      if (typeof body[key] === 'string') return body[key].slice(0, 500);
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}
