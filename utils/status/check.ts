import Dexie from 'dexie';
import { z } from 'zod';
import type { FlaglineDB } from '../db';
import { parseRetryAfter } from '../outbox/backoff';
import { appendLedger } from '../reports/lifecycle';
import type { ReportRecord } from '../schema/record';
import { ReportStatus, STATUS_BATCH_MAX, StatusBatchResponse } from '../schema/wire';
import type { Clock } from '../time';
import { nextStatusCheck, STATUS_MAX_AGE_MS, STATUS_REFRESH_MIN_MS, statusTracked, statusUrlOf } from './schedule';

/**
 * Asking channels what became of delivered reports (docs/protocol.md "Status"): one `POST` per
 * channel and 100 reports, carrying only ids and status tokens — no report data, no cookies, no
 * access token. A channel that answers 429 or 503 is left alone until its `Retry-After`; one that
 * fails otherwise is asked again at the report's next step (utils/status/schedule.ts).
 */
export interface StatusDeps {
  db: FlaglineDB;
  fetch: typeof fetch;
  clock: Clock;
}

export interface StatusCheckOptions {
  /**
   * The reports a page shows (`all`: the workspace, which shows every report): asked now whatever
   * their schedule, at most once a minute per channel.
   */
  ids?: readonly string[] | 'all';
  /** Per request; the default is well under the 30 s after which Chromium stops a waiting worker. */
  timeoutMs?: number;
  /** The shortest time between two refreshes of one channel (default a minute; e2e builds less). */
  refreshMinMs?: number;
}

export interface StatusCheckResult {
  /** Reports asked about. */
  asked: number;
  /** Reports whose review status changed, as stored. */
  changed: ReportRecord[];
  /** Among them, those that became closed (a notification each, when the user wants one). */
  closed: ReportRecord[];
  /** When the next scheduled check is due after this round, or undefined when nothing is tracked. */
  nextAt?: number;
}

/** Per status address: not before this time (429/503), and when a page last refreshed it. */
const ChannelState = z.record(z.string(), z.object({ notBefore: z.number().optional(), refreshedAt: z.number().optional() }));
type ChannelState = z.infer<typeof ChannelState>;
const CHANNEL_STATE_KEY = 'status.channels';

async function readChannelState(db: FlaglineDB): Promise<ChannelState> {
  const parsed = ChannelState.safeParse((await db.keyValue.get(CHANNEL_STATE_KEY))?.value);
  return parsed.success ? parsed.data : {};
}

/** Delivered reports young enough to ask about, with a token: one index range, newest 30 days. */
async function trackedReports(db: FlaglineDB, now: number): Promise<ReportRecord[]> {
  const recent = await db.reports
    .where('[status+createdAt]')
    .between(['sent', now - STATUS_MAX_AGE_MS], ['sent', Dexie.maxKey], true, true)
    .toArray();
  return recent.filter((record) => statusTracked(record, now));
}

/**
 * Records what the channel said about a report: the review status, and a ledger line with the
 * time it was learnt when anything changed. The one place a review status is written.
 * Returns whether it changed.
 */
export function learnStatus(record: ReportRecord, status: ReportStatus, at: number, from: string): boolean {
  const before = record.review;
  const same =
    before?.state === status.state && before.outcome === status.outcome && before.publicNote === status.publicNote && before.updatedAt === status.updatedAt;
  if (same) return false;
  record.review = {
    state: status.state,
    ...(status.outcome ? { outcome: status.outcome } : {}),
    ...(status.publicNote ? { publicNote: status.publicNote } : {}),
    updatedAt: status.updatedAt,
    learntAt: at,
  };
  appendLedger(record, { at, endpoint: from, outcome: 'status', review: { state: status.state, ...(status.outcome ? { outcome: status.outcome } : {}) } });
  return true;
}

type Answer = { kind: 'results'; results: Map<string, ReportStatus> } | { kind: 'later'; notBefore: number } | { kind: 'failed' };

async function ask(deps: StatusDeps, url: string, batch: ReportRecord[], timeoutMs: number): Promise<Answer> {
  let response: Response;
  try {
    response = await deps.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reports: batch.map((record) => ({ id: record.id, token: record.statusToken })) }),
      credentials: 'omit',
      cache: 'no-store',
      // The tokens go to the channel's own address only, never where a redirect points.
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return { kind: 'failed' };
  }
  if (response.status === 429 || response.status === 503) return later(response, deps.clock());
  // A receiver without the batch route: ask one report at a time (docs/protocol.md "Status").
  if (response.status === 404 || response.status === 405) return askOneByOne(deps, url, batch, timeoutMs);
  if (!response.ok) return { kind: 'failed' };
  const parsed = StatusBatchResponse.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) return { kind: 'failed' };
  return { kind: 'results', results: new Map(parsed.data.results.map((result) => [result.id, result])) };
}

/** A 429 or 503: leave the channel alone until its Retry-After — without one, an hour. */
function later(response: Response, now: number): Answer {
  return { kind: 'later', notBefore: now + (parseRetryAfter(response.headers.get('Retry-After'), now) ?? 60 * 60_000) };
}

/** `GET <endpoint>/{id}/status` with the report's token, for each report of a batch the receiver would not take at once. */
async function askOneByOne(deps: StatusDeps, batchUrl: string, batch: ReportRecord[], timeoutMs: number): Promise<Answer> {
  const results = new Map<string, ReportStatus>();
  for (const record of batch) {
    const single = singleStatusUrl(batchUrl, record.id);
    let response: Response;
    try {
      response = await deps.fetch(single, {
        headers: { Authorization: `Bearer ${record.statusToken}` },
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return { kind: 'failed' };
    }
    if (response.status === 429 || response.status === 503) return later(response, deps.clock());
    if (!response.ok) continue;
    const parsed = ReportStatus.safeParse(await response.json().catch(() => undefined));
    if (parsed.success && parsed.data.id === record.id) results.set(record.id, parsed.data);
  }
  return { kind: 'results', results };
}

/** `<endpoint>/status` → `<endpoint>/{id}/status`. */
function singleStatusUrl(batchUrl: string, id: string): string {
  const url = new URL(batchUrl);
  url.pathname = `${url.pathname.replace(/\/status\/?$/, '')}/${encodeURIComponent(id)}/status`;
  return url.href;
}

/**
 * One round of status checks: the reports due by their schedule (or the ones named in `ids`),
 * grouped per channel, asked 100 at a time; what each answer says is stored in one transaction
 * per request, against the records as they are then (a report deleted meanwhile stays deleted).
 */
export async function checkStatuses(deps: StatusDeps, options: StatusCheckOptions = {}): Promise<StatusCheckResult> {
  const { db, clock } = deps;
  const start = clock();
  const wanted = options.ids === 'all' ? 'all' : options.ids ? new Set(options.ids) : undefined;
  const tracked = await trackedReports(db, start);
  const due = tracked.filter((record) => (wanted === 'all' ? true : wanted ? wanted.has(record.id) : record.statusCheck!.nextAt <= start));
  const result: StatusCheckResult = { asked: 0, changed: [], closed: [] };
  const channels = await readChannelState(db);
  if (due.length === 0) return { ...result, ...nextDue(tracked, channels) };

  const groups = new Map<string, ReportRecord[]>();
  for (const record of due) {
    const url = statusUrlOf(record) ?? '';
    groups.set(url, [...(groups.get(url) ?? []), record]);
  }
  // Every answer first, then one transaction for all of them: a transaction per request cost
  // more than the requests themselves (status.poll1000Ms).
  const answers: Array<{ url: string; batch: ReportRecord[]; answer: Exclude<Answer, { kind: 'later' }> }> = [];
  for (const [url, records] of groups) {
    const state = channels[url] ?? {};
    if (!url || (state.notBefore ?? 0) > start) continue;
    if (wanted && (state.refreshedAt ?? 0) > start - (options.refreshMinMs ?? STATUS_REFRESH_MIN_MS)) continue;
    if (wanted) channels[url] = { ...state, refreshedAt: start };
    for (let i = 0; i < records.length; i += STATUS_BATCH_MAX) {
      const batch = records.slice(i, i + STATUS_BATCH_MAX);
      const answer = await ask(deps, url, batch, options.timeoutMs ?? 20_000);
      if (answer.kind === 'later') {
        channels[url] = { ...channels[url], notBefore: answer.notBefore };
        break;
      }
      answers.push({ url, batch, answer });
      result.asked += batch.length;
    }
  }
  const now = clock();
  const stored = new Map<string, ReportRecord>();
  await db.transaction('rw', db.reports, db.keyValue, async () => {
    // Read again inside the transaction: a report edited or deleted meanwhile stays as it is now.
    const current = await db.reports.bulkGet(answers.flatMap(({ batch }) => batch.map((record) => record.id)));
    const byId = new Map(current.filter((record): record is ReportRecord => record !== undefined).map((record) => [record.id, record]));
    const updated: ReportRecord[] = [];
    for (const { url, batch, answer } of answers) {
      for (const { id } of batch) {
        const record = byId.get(id);
        if (!record || !statusTracked(record, now)) continue;
        const status = answer.kind === 'results' ? answer.results.get(record.id) : undefined;
        const wasClosed = record.review?.state === 'closed';
        const changed = status !== undefined && learnStatus(record, status, now, url);
        // A page's refresh of a report not yet due leaves its schedule as it was.
        const wasDue = record.statusCheck!.nextAt <= now;
        if (!changed && !wasDue) continue;
        const next = nextStatusCheck(record, now);
        if (next) record.statusCheck = next;
        else delete record.statusCheck;
        updated.push(record);
        stored.set(record.id, record);
        if (changed) {
          result.changed.push(record);
          if (!wasClosed && record.review?.state === 'closed') result.closed.push(record);
        }
      }
    }
    await db.reports.bulkPut(updated);
    await db.keyValue.put({ key: CHANNEL_STATE_KEY, value: channels });
  });
  const after = tracked.map((record) => stored.get(record.id) ?? record).filter((record) => statusTracked(record, now));
  return { ...result, ...nextDue(after, channels) };
}

/** The earliest due check among these reports, a channel's Retry-After included. */
function nextDue(tracked: readonly ReportRecord[], channels: ChannelState): { nextAt?: number } {
  let next: number | undefined;
  for (const record of tracked) {
    const at = Math.max(record.statusCheck!.nextAt, channels[statusUrlOf(record) ?? '']?.notBefore ?? 0);
    next = next === undefined ? at : Math.min(next, at);
  }
  return next === undefined ? {} : { nextAt: next };
}

/** When the next scheduled check is due (for the alarm), or undefined when nothing is tracked. */
export async function nextStatusCheckAt(db: FlaglineDB, now: number): Promise<number | undefined> {
  const [tracked, channels] = await Promise.all([trackedReports(db, now), readChannelState(db)]);
  return nextDue(tracked, channels).nextAt;
}
