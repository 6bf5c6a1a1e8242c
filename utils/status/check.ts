import { z } from 'zod';
import type { FlaglineDB } from '../db';
import { parseRetryAfter } from '../outbox/backoff';
import type { StatusEntry, StatusPage } from '../schema/record';
import { ReportStatus, STATUS_BATCH_MAX, StatusBatchResponse } from '../schema/wire';
import type { Clock } from '../time';
import { askablePages, bookRevision, learnStatus, putPageStates, readPages } from './book';
import { nextStatusCheck, STATUS_REFRESH_MIN_MS, statusTracked } from './schedule';

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
  /**
   * Whether status checks are on (settings.statusChecks), read while the book is: off, the round
   * asks nothing, stores nothing and reports no next check.
   */
  enabled?: Promise<boolean>;
}

export interface StatusCheckResult {
  /** Reports asked about. */
  asked: number;
  /** The ids of reports whose review status changed. */
  changed: string[];
  /** Among them, those that became closed (a notification each, when the user wants one). */
  closed: string[];
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

/** A report still asked about: its id, entry and the key of the page that holds it. */
interface Tracked {
  id: string;
  page: string;
  entry: StatusEntry & { check: NonNullable<StatusEntry['check']> };
}

/** The pages of the status book a round read, by key, as of the book's revision `revision`. */
interface BookCopy {
  readonly pages: Map<string, StatusPage>;
  readonly revision: number;
}

/** Reports young enough to ask about, from the last 31 days of the status book, and those pages. */
async function trackedReports(db: FlaglineDB, now: number): Promise<{ tracked: Tracked[]; book: BookCopy }> {
  // Two read-only transactions, the revision's made first. A write landing between them is seen by
  // the pages and not by the revision, and then the round's store (a compare-and-swap on the
  // revision) reads the pages again: never a copy older than its revision. Not one transaction
  // around both: Dexie answers a bare read-only one without waiting for it to complete.
  const [revision, read] = await Promise.all([bookRevision(db.statusPages), askablePages(db, now)]);
  const tracked: Tracked[] = [];
  const pages = new Map<string, StatusPage>();
  for (const page of read) {
    pages.set(page.key, page);
    const { key, entries } = page;
    for (const id in entries) {
      const entry = entries[id]!;
      if (statusTracked(entry, now)) tracked.push({ id, page: key, entry });
    }
  }
  return { tracked, book: { pages, revision } };
}

type Answer = { kind: 'results'; results: Map<string, ReportStatus> } | { kind: 'later'; notBefore: number } | { kind: 'failed' };
/** What a request brought back: a batch answer's body is checked later ({@link answerOf}), once the next request is on the wire. */
type Reply = Answer | { kind: 'body'; body: unknown };

async function ask(deps: StatusDeps, url: string, batch: Tracked[], timeoutMs: number): Promise<Reply> {
  let response: Response;
  try {
    response = await deps.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reports: batch.map(({ id, entry }) => ({ id, token: entry.token })) }),
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
  // The body is read now (the connection is free for the next request only then); it is checked
  // against the schema when the round is ready for it.
  return { kind: 'body', body: await response.json().catch(() => undefined) };
}

/** A reply as an answer: a batch answer's body checked against the schema (one that fails it is a failed request). */
function answerOf(reply: Exclude<Reply, { kind: 'later' }>): Exclude<Answer, { kind: 'later' }> {
  if (reply.kind !== 'body') return reply;
  const parsed = StatusBatchResponse.safeParse(reply.body);
  return parsed.success ? { kind: 'results', results: new Map(parsed.data.results.map((result) => [result.id, result])) } : { kind: 'failed' };
}

/** A 429 or 503: leave the channel alone until its Retry-After — without one, an hour. */
function later(response: Response, now: number): Answer {
  return { kind: 'later', notBefore: now + (parseRetryAfter(response.headers.get('Retry-After'), now) ?? 60 * 60_000) };
}

/** `GET <endpoint>/{id}/status` with the report's token, for each report of a batch the receiver would not take at once. */
async function askOneByOne(deps: StatusDeps, batchUrl: string, batch: Tracked[], timeoutMs: number): Promise<Reply> {
  const results = new Map<string, ReportStatus>();
  for (const { id, entry } of batch) {
    const single = singleStatusUrl(batchUrl, id);
    let response: Response;
    try {
      response = await deps.fetch(single, {
        headers: { Authorization: `Bearer ${entry.token}` },
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
    if (parsed.success && parsed.data.id === id) results.set(id, parsed.data);
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
 * grouped per channel, asked 100 at a time, one request after another. The answers are stored in
 * a transaction against the status book as it is then (a report deleted meanwhile stays deleted).
 */
export async function checkStatuses(deps: StatusDeps, options: StatusCheckOptions = {}): Promise<StatusCheckResult> {
  const { db, clock } = deps;
  // Stage marks, read by `BENCH_DEBUG=1 npm run bench -- status` (scripts/bench/figures/status.ts).
  performance.mark('flagline:status:start');
  const start = clock();
  const wanted = options.ids === 'all' ? 'all' : options.ids ? new Set(options.ids) : undefined;
  // The small channel state is asked for before the pages: the database answers in the order asked.
  const [channels, { tracked, book }, enabled] = await Promise.all([readChannelState(db), trackedReports(db, start), options.enabled ?? true]);
  performance.mark('flagline:status:read');
  if (!enabled) return { asked: 0, changed: [], closed: [] };
  const due = tracked.filter(({ id, entry }) => (wanted === 'all' ? true : wanted ? wanted.has(id) : entry.check.nextAt <= start));
  const result: StatusCheckResult = { asked: 0, changed: [], closed: [] };
  if (due.length === 0) return { ...result, ...nextDue(tracked, channels) };

  const groups = new Map<string, Tracked[]>();
  for (const report of due) {
    const group = groups.get(report.entry.url) ?? [];
    group.push(report);
    groups.set(report.entry.url, group);
  }
  // The requests of the round: per channel not waiting out a Retry-After (nor refreshed within
  // the minute, for a page's refresh), 100 reports each.
  const requests: Array<{ url: string; batch: Tracked[] }> = [];
  for (const [url, reports] of groups) {
    const state = channels[url] ?? {};
    if ((state.notBefore ?? 0) > start) continue;
    if (wanted && (state.refreshedAt ?? 0) > start - (options.refreshMinMs ?? STATUS_REFRESH_MIN_MS)) continue;
    if (wanted) channels[url] = { ...state, refreshedAt: start };
    for (let i = 0; i < reports.length; i += STATUS_BATCH_MAX) requests.push({ url, batch: reports.slice(i, i + STATUS_BATCH_MAX) });
  }
  const answered: Answered[] = [];
  const learnt = nothingLearnt();
  let learning = Promise.resolve();
  for (const [i, { url, batch }] of requests.entries()) {
    if ((channels[url]?.notBefore ?? 0) > start) continue;
    performance.mark(`flagline:status:sent ${i}`);
    const answer = await ask(deps, url, batch, options.timeoutMs ?? 20_000);
    performance.mark(`flagline:status:answered ${i}`);
    if (answer.kind === 'later') {
      channels[url] = { ...channels[url], notBefore: answer.notBefore };
      continue;
    }
    const at = clock();
    // Checked and applied to the round's copy of the pages in a microtask: after the loop has
    // sent the next request (or ended), so the work is done while that request is on the wire.
    learning = learning.then(() => {
      const one: Answered = { batch, answer: answerOf(answer), at };
      answered.push(one);
      learnAnswers(book.pages, [one], learnt);
    });
    result.asked += batch.length;
  }
  await learning;
  // All answers in one write, after the last one (with the channel state, so also when nothing
  // was answered). Writing some while the last request was on the wire, or one per answer, slowed
  // the requests down on a two-core machine more than it saved (`status.poll1000Ms`).
  performance.mark('flagline:status:store');
  const stored = await storeAnswers(deps, answered, learnt, book, channels);
  performance.mark('flagline:status:stored');
  result.changed.push(...stored.changed);
  result.closed.push(...stored.closed);
  // The tracked reports as the round left them (an entry of undefined: no longer asked about).
  const after: Tracked[] = [];
  for (const report of tracked) {
    const now = stored.entries.has(report.id) ? stored.entries.get(report.id) : report;
    if (now) after.push(now);
  }
  return { ...result, ...nextDue(after, channels) };
}

/** A batch of reports, what the channel answered about them, and when. */
interface Answered {
  batch: readonly Tracked[];
  answer: Exclude<Answer, { kind: 'later' }>;
  at: number;
}

/** What a round's answers changed in the book. */
interface Learnt {
  /** The pages to write. */
  touched: Set<StatusPage>;
  /** The reports' entries as written, by id (undefined: no longer asked about). */
  entries: Map<string, Tracked | undefined>;
  changed: string[];
  closed: string[];
}

const nothingLearnt = (): Learnt => ({ touched: new Set(), entries: new Map(), changed: [], closed: [] });

/**
 * Answers applied to these pages, in place, and added to `learnt`: what changed of each report,
 * and its next check. The one place a round's answers become entries.
 */
function learnAnswers(pages: ReadonlyMap<string, StatusPage>, answers: readonly Answered[], learnt: Learnt): Learnt {
  for (const { batch, answer, at: now } of answers) {
    for (const { id, page: key } of batch) {
      const page = pages.get(key);
      const entry = page?.entries[id];
      // Deleted meanwhile.
      if (!page || !entry || !statusTracked(entry, now)) continue;
      // A page's refresh of a report not yet due leaves its schedule as it was.
      const wasDue = entry.check.nextAt <= now;
      const status = answer.kind === 'results' ? answer.results.get(id) : undefined;
      const changed = status !== undefined && learnStatus(entry, status, now);
      if (!changed && !wasDue) continue;
      const next = nextStatusCheck(entry, now);
      const updated: StatusEntry = { ...entry };
      if (next) updated.check = next;
      else delete updated.check;
      page.entries[id] = updated;
      learnt.touched.add(page);
      learnt.entries.set(id, statusTracked(updated, now) ? { id, page: key, entry: updated } : undefined);
      if (changed) {
        learnt.changed.push(id);
        if (updated.review?.state === 'closed') learnt.closed.push(id);
      }
    }
  }
  return learnt;
}

/** The book was written by someone else since the round read it (see {@link storeAnswers}). */
class BookMoved extends Error {}

/**
 * Stores a round's answers and the channel state, in one transaction. `learnt` is what the answers
 * made of the round's copy of the pages (`book`); it is written, and the write is undone when the
 * book's revision moved since the round read it — a compare-and-swap, the revision read in the
 * same transaction just before the pages are put (a transaction's requests run in order). Then
 * someone else wrote pages meanwhile (a report delivered or deleted): the pages are read again and
 * the answers applied to them, in the transaction that writes them, so a report deleted meanwhile
 * stays deleted.
 */
async function storeAnswers({ db }: StatusDeps, answers: readonly Answered[], learnt: Learnt, book: BookCopy, channels: ChannelState): Promise<Learnt> {
  const channelState = { key: CHANNEL_STATE_KEY, value: channels };
  try {
    await db.transaction('rw', db.statusPages, db.keyValue, async () => {
      const [revision] = await Promise.all([
        bookRevision(db.statusPages),
        putPageStates(db.statusPages, [...learnt.touched], book.revision),
        db.keyValue.put(channelState),
      ]);
      if (revision !== book.revision) throw new BookMoved();
    });
    return learnt;
  } catch (error) {
    if (!(error instanceof BookMoved)) throw error;
  }
  return db.transaction('rw', db.statusPages, db.keyValue, async () => {
    const revision = await bookRevision(db.statusPages);
    const keys = [...new Set(answers.flatMap(({ batch }) => batch.map((report) => report.page)))];
    const pages = new Map<string, StatusPage>();
    for (const page of await readPages(db.statusPages, keys)) if (page) pages.set(page.key, page);
    const relearnt = learnAnswers(pages, answers, nothingLearnt());
    await Promise.all([putPageStates(db.statusPages, [...relearnt.touched], revision), db.keyValue.put(channelState)]);
    return relearnt;
  });
}

/** The earliest due check among these reports, a channel's Retry-After included. */
function nextDue(tracked: readonly Tracked[], channels: ChannelState): { nextAt?: number } {
  let next: number | undefined;
  for (const { entry } of tracked) {
    const at = Math.max(entry.check.nextAt, channels[entry.url]?.notBefore ?? 0);
    next = next === undefined ? at : Math.min(next, at);
  }
  return next === undefined ? {} : { nextAt: next };
}

/** When the next scheduled check is due (for the alarm), or undefined when nothing is tracked. */
export async function nextStatusCheckAt(db: FlaglineDB, now: number): Promise<number | undefined> {
  const [{ tracked }, channels] = await Promise.all([trackedReports(db, now), readChannelState(db)]);
  return nextDue(tracked, channels).nextAt;
}
