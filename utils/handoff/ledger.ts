import type { FlaglineDB } from '../db';
import { appendLedger } from '../reports/lifecycle';
import type { Channel } from '../schema/channel-catalogue';
import type { LedgerLine, ReportRecord } from '../schema/record';

/**
 * Recording a hand-off (issue 16): the user submitted the report to an official channel's form
 * themselves and pressed `Mark as submitted`. It is a line of the report's own ledger — channel,
 * time, the case number the channel gave — beside any endpoint delivery: a report can be handed
 * to several channels and delivered to an endpoint too. Its delivery status does not change.
 */

export const CASE_NUMBER_MAX = 200;

/** Where the channel was reached: its form, its address, or (a platform route) the report's own page. */
const channelAddress = (channel: Pick<Channel, 'id' | 'formUrl' | 'emailAddress' | 'kind'>, pageUrl: string) =>
  channel.kind === 'email' && channel.emailAddress
    ? `mailto:${channel.emailAddress}`
    : (channel.formUrl ?? (channel.kind === 'platform-route' ? pageUrl : channel.id));

export function handoffLine(channel: Pick<Channel, 'id' | 'formUrl' | 'emailAddress' | 'kind'>, pageUrl: string, at: number, caseNumber?: string): LedgerLine {
  const receipt = caseNumber?.trim().slice(0, CASE_NUMBER_MAX);
  return { at, endpoint: channelAddress(channel, pageUrl), outcome: 'handoff', channel: channel.id, ...(receipt ? { receipt } : {}) };
}

/** A report's hand-offs, oldest first. */
export const handoffsOf = (record: Pick<ReportRecord, 'ledger'>): LedgerLine[] =>
  (record.ledger ?? []).filter((line) => line.outcome === 'handoff').sort((a, b) => a.at - b.at);

/** Adds the hand-off to the report's ledger. Returns false when the report is gone. */
export async function recordHandoff(db: FlaglineDB, reportId: string, channel: Channel, at: number, caseNumber?: string): Promise<boolean> {
  return db.transaction('rw', db.reports, async () => {
    const record = await db.reports.get(reportId);
    if (!record) return false;
    appendLedger(record, handoffLine(channel, record.report.target.url, at, caseNumber));
    await db.reports.put(record);
    return true;
  });
}
