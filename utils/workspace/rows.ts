import type { DeliveryStatus, ReportRecord, ReviewStatus } from '../schema/record';
import type { ReportState } from '../schema/wire';
import { handoffsOf } from '../handoff/ledger';
import { duplicateKey } from './duplicate-key';
import { withDeliveryState, type LeaseView } from '../leases';

/**
 * A light projection of a stored report for the workspace list: everything the list, its
 * filters and duplicate detection need, computed once per load so filtering 10,000 rows is a
 * plain array scan with no string work beyond one `includes`.
 */
export interface WorkspaceRow {
  id: string;
  status: DeliveryStatus;
  category: string;
  subReason?: string;
  site: string;
  url: string;
  title: string;
  explanation: string;
  createdAt: number;
  attempts: number;
  receipt?: string;
  errorKind?: string;
  duplicateAck?: boolean;
  /** What the channel's reviewers made of it, when the channel said. */
  review?: Pick<ReviewStatus, 'state' | 'outcome'>;
  /** The report carries a screenshot or crop to show as a thumbnail. */
  hasImage?: boolean;
  /** Channels it was handed off to (issue 16), in order; absent when none. */
  handoffs?: string[];
  dupKey: string;
  /** Lower-case explanation, title and URL, for text search. */
  haystack: string;
}

export function siteOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** `leases`: what the lease rows say (utils/leases.ts): in flight shows as `sending`, acknowledged as `sent`. */
export function toRow(stored: ReportRecord, capturedText?: string, leases?: LeaseView): WorkspaceRow {
  const record = leases ? withDeliveryState(stored, leases) : stored;
  const { report } = record;
  return {
    id: record.id,
    status: record.status,
    category: report.category,
    ...(report.subReason ? { subReason: report.subReason } : {}),
    site: siteOf(report.target.url),
    url: report.target.url,
    title: report.target.title,
    explanation: report.explanation,
    createdAt: record.createdAt,
    attempts: record.attempts,
    ...(record.receipt ? { receipt: record.receipt } : {}),
    ...(record.lastError ? { errorKind: record.lastError.kind } : {}),
    ...(record.duplicateAck ? { duplicateAck: true } : {}),
    ...(record.review ? { review: { state: record.review.state, ...(record.review.outcome ? { outcome: record.review.outcome } : {}) } } : {}),
    ...(report.evidence?.artifacts.some((a) => a.mediaType === 'image/png') ? { hasImage: true } : {}),
    ...(record.ledger?.some((line) => line.outcome === 'handoff') ? { handoffs: handoffChannels(record) } : {}),
    dupKey: duplicateKey({
      id: record.id,
      url: report.target.url,
      ...(report.target.canonicalUrl ? { canonicalUrl: report.target.canonicalUrl } : {}),
      ...(capturedText === undefined ? {} : { text: capturedText }),
      category: report.category,
    }),
    haystack: `${report.explanation}\n${report.target.title}\n${report.target.url}\n${capturedText ?? ''}`.toLowerCase(),
  };
}

const handoffChannels = (record: ReportRecord) => [...new Set(handoffsOf(record).map((line) => line.channel ?? line.endpoint))];

/** The hand-off filter's value for reports never handed off. */
export const NOT_HANDED_OFF = '-';

export type SortOrder = 'newest' | 'oldest' | 'site' | 'state' | 'review';

export interface RowFilter {
  status?: DeliveryStatus | '';
  /** A review state, `none` for reports the channel has said nothing about, '' for any. */
  review?: ReportState | 'none' | '';
  category?: string;
  site?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  query?: string;
  /** A channel id (handed off to it), {@link NOT_HANDED_OFF}, or '' for any. */
  handoff?: string;
  sort: SortOrder;
}

/**
 * How the workspace names a delivery state. With no endpoint, a held report is not waiting for
 * anyone's review: it is kept here, for hand-off or until an endpoint is set (issue 16).
 */
export const deliveryStateKey = (status: DeliveryStatus, noEndpoint = false) =>
  status === 'held' && noEndpoint ? 'workspace_state_keptHere' : (`workspace_state_${status}` as const);

/** Order in which states are listed: what needs the user first. */
const STATE_ORDER: Record<DeliveryStatus, number> = { failed: 0, undelivered: 1, held: 2, waiting: 3, sending: 4, sent: 5 };

/**
 * Every delivery state, in the schema's order, for the state filter: the schema's own list
 * (`DeliveryStatus.options`) would bring the schema library onto the workspace's first screen.
 * tests/unit/workspace-rows.test.ts checks that both lists are the same.
 */
export const DELIVERY_STATUSES = ['waiting', 'sending', 'sent', 'failed', 'undelivered', 'held'] as const satisfies readonly DeliveryStatus[];

/** Every review state, in the wire schema's order (`REPORT_STATES`; the same test checks it), for the filter. */
export const REVIEW_STATES = ['new', 'in_review', 'forwarded', 'closed'] as const satisfies readonly ReportState[];

/** Sorted by review: what the channel is working on first, then closed, then no news. */
const REVIEW_ORDER: Record<ReportState | 'none', number> = { in_review: 0, forwarded: 1, new: 2, closed: 3, none: 4 };

export function filterRows(rows: readonly WorkspaceRow[], filter: RowFilter): WorkspaceRow[] {
  const query = filter.query?.trim().toLowerCase() ?? '';
  const out = rows.filter(
    (row) =>
      (!filter.status || row.status === filter.status) &&
      (!filter.review || (row.review?.state ?? 'none') === filter.review) &&
      (!filter.category || row.category === filter.category) &&
      (!filter.site || row.site === filter.site) &&
      (filter.from === undefined || row.createdAt >= filter.from) &&
      (filter.to === undefined || row.createdAt < filter.to) &&
      (!query || row.haystack.includes(query)) &&
      (!filter.handoff || (filter.handoff === NOT_HANDED_OFF ? !row.handoffs : !!row.handoffs?.includes(filter.handoff))),
  );
  const newest = (a: WorkspaceRow, b: WorkspaceRow) => b.createdAt - a.createdAt;
  switch (filter.sort) {
    case 'newest':
      return out.sort(newest);
    case 'oldest':
      return out.sort((a, b) => a.createdAt - b.createdAt);
    case 'site':
      return out.sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : newest(a, b)));
    case 'state':
      return out.sort((a, b) => STATE_ORDER[a.status] - STATE_ORDER[b.status] || newest(a, b));
    case 'review':
      return out.sort((a, b) => REVIEW_ORDER[a.review?.state ?? 'none'] - REVIEW_ORDER[b.review?.state ?? 'none'] || newest(a, b));
  }
}

/** Local calendar day `YYYY-MM-DD` (a date input's value) → epoch ms at its start, or undefined. */
export function dayStart(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
}

export const dayEnd = (value: string) => {
  const start = dayStart(value);
  return start === undefined ? undefined : new Date(start).setDate(new Date(start).getDate() + 1);
};

/** The filter bar's values as the user set them: dates as a date input's `YYYY-MM-DD`, '' for any. */
export interface FilterValues {
  status: string;
  review: string;
  category: string;
  site: string;
  from: string;
  to: string;
  query: string;
  /** Handed off to a channel (issue 16): a channel id, {@link NOT_HANDED_OFF}, or '' for any. */
  handoff: string;
  sort: SortOrder;
}

export const EMPTY_FILTERS: FilterValues = { status: '', review: '', category: '', site: '', from: '', to: '', query: '', handoff: '', sort: 'newest' };

/** The filter bar's values as a row filter: whole local days, from the start of `from` to the end of `to`. */
export function toRowFilter(values: FilterValues): RowFilter {
  const from = dayStart(values.from);
  const to = dayEnd(values.to);
  return {
    status: values.status as WorkspaceRow['status'] | '',
    review: values.review as RowFilter['review'],
    category: values.category,
    site: values.site,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    query: values.query,
    handoff: values.handoff,
    sort: values.sort,
  };
}

export const distinctSites = (rows: readonly WorkspaceRow[]) => [...new Set(rows.map((r) => r.site).filter(Boolean))].sort();
