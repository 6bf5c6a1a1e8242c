import en from '../../public/_locales/en/messages.json' with { type: 'json' };
import zh from '../../public/_locales/zh_CN/messages.json' with { type: 'json' };
import type { MessageKey } from '../i18n';
import { messageFrom, type MessageCatalog } from '../i18n-catalog';
import type { Channel, ChannelCategory, ChannelField, ChannelLanguage } from '../schema/channel-catalogue';
import type { Report } from '../schema/report';

/**
 * The text Flagline prepares for each field of an official channel's form, from one report. The
 * text is in the channel's language (12377 reads Chinese whatever language the reporter's browser
 * speaks), the category in the channel's own words. Pure: the extension's companion and the Desk's
 * hand-off both build their fields here.
 */

/** What a hand-off needs of a report: the wire report (the Desk has it too) — nothing else. */
export type HandoffReport = Pick<Report, 'id' | 'category' | 'subReason' | 'explanation' | 'createdAt' | 'target' | 'reporter' | 'evidence'>;

const CATALOGS: Record<ChannelLanguage, MessageCatalog> = { en, zh_CN: zh };

/** A message in a given language (the channel's), not the browser's. */
export const messageIn = (language: ChannelLanguage, key: MessageKey, substitutions?: string | number | Array<string | number>) =>
  messageFrom(CATALOGS[language], key, substitutions);

/** The cap on quoted page text in a description: forms have length limits, the evidence has the rest. */
const QUOTE_MAX = 500;
const SUBJECT_TITLE_MAX = 60;

/** The channel's entry for a report's category and sub-reason: the first that matches. */
export function channelCategory(channel: Pick<Channel, 'categories'>, category: string, subReason?: string): ChannelCategory | undefined {
  return (
    channel.categories.find((entry) => entry.category === category && (!entry.reasons || (subReason !== undefined && entry.reasons.includes(subReason)))) ??
    channel.categories.find((entry) => entry.category === category && !entry.reasons)
  );
}

/** The address that was reported: the link for a link report, the post's own link when found, else the page. */
export const reportedUrl = (target: HandoffReport['target']): string => target.linkUrl ?? target.permalink ?? target.url;

const hostMatches = (host: string, hosts: readonly string[]) => hosts.some((h) => host === h || host.endsWith(`.${h}`));

/** The rank a platform route gets when the report is about a post on that platform: right after the best official form. */
const HOSTING_PLATFORM_RANK = 1;

/**
 * The channels that fit a report, best first. A platform route is offered only for posts on that
 * platform ("report it on the platform too"), and then near the top; other channels by their
 * rank for the report's category, then in catalogue order.
 */
export function channelsFor(channels: readonly Channel[], report: Pick<HandoffReport, 'category' | 'subReason' | 'target'>): Channel[] {
  const host = URL.canParse(reportedUrl(report.target)) ? new URL(reportedUrl(report.target)).hostname.toLowerCase() : '';
  const ranked: Array<{ channel: Channel; rank: number; order: number }> = [];
  channels.forEach((channel, order) => {
    const entry = channelCategory(channel, report.category, report.subReason);
    if (!entry) return;
    if (channel.kind === 'platform-route') {
      if (!hostMatches(host, channel.hosts ?? [])) return;
      ranked.push({ channel, rank: Math.min(entry.rank, HOSTING_PLATFORM_RANK), order });
    } else {
      ranked.push({ channel, rank: entry.rank, order });
    }
  });
  return ranked.sort((a, b) => a.rank - b.rank || a.order - b.order).map((r) => r.channel);
}

/** `2026-12-06T14:03:00.000+08:00` → `2026-12-06 14:03 (UTC+08:00)`: the reporter's own clock, as written. */
export function readableTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, date, time, offset] = match;
  return `${date} ${time} (UTC${offset === 'Z' ? '+00:00' : offset})`;
}

/** The category and sub-reason in our words, in the channel's language (`谣言 — 编造虚假信息`). */
function ourCategoryText(language: ChannelLanguage, report: Pick<HandoffReport, 'category' | 'subReason'>): string {
  const category = messageIn(language, `category_${report.category}` as MessageKey) || report.category;
  const reason = report.subReason ? messageIn(language, `reason_${report.category}_${report.subReason}` as MessageKey) : '';
  return reason ? `${category} — ${reason}` : category;
}

/** The screenshots a report carries (name and hash), for the field and the email's attachment list. */
export function screenshotsOf(report: Pick<HandoffReport, 'evidence'>): Array<{ name: string; sha256: string }> {
  return (report.evidence?.artifacts ?? []).filter((a) => a.mediaType === 'image/png').map((a) => ({ name: a.name, sha256: a.sha256 }));
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The description: what, where, when and why, as one block a form's text box takes. */
export function descriptionText(channel: Pick<Channel, 'language' | 'categories'>, report: HandoffReport): string {
  const lang = channel.language;
  const line = (key: MessageKey, value: string) => messageIn(lang, key, value);
  const lines = [
    line('handoff_text_category', ourCategoryText(lang, report)),
    line('handoff_text_url', reportedUrl(report.target)),
    ...(report.target.title.trim() ? [line('handoff_text_title', report.target.title.trim())] : []),
    line('handoff_text_seen', readableTime(report.target.capturedAt ?? report.createdAt)),
    ...(report.explanation.trim() ? [line('handoff_text_explanation', report.explanation.trim())] : []),
    ...(report.target.text?.trim() ? [line('handoff_text_quote', cut(report.target.text.trim(), QUOTE_MAX))] : []),
  ];
  const shots = screenshotsOf(report);
  if (shots.length > 0) lines.push(line('handoff_text_evidence', String(shots.length)));
  lines.push(messageIn(lang, 'handoff_text_footer', report.id));
  return lines.join('\n');
}

/** The reporter's contact details as given, or empty (the user types them if the channel requires them). */
const contactText = (report: HandoffReport) => (report.reporter ? [report.reporter.name, report.reporter.contact].filter((v) => v.trim()).join(' ') : '');

/** An email subject line in the channel's language. */
export function subjectText(channel: Pick<Channel, 'language' | 'categories'>, report: HandoffReport): string {
  const words = channelCategory(channel, report.category, report.subReason)?.words ?? ourCategoryText(channel.language, report);
  return messageIn(channel.language, 'handoff_text_subject', [words, cut(report.target.title.trim() || reportedUrl(report.target), SUBJECT_TITLE_MAX)]);
}

/** The text for one field of the channel's form; empty when the report has nothing for it. */
export function fieldText(channel: Pick<Channel, 'language' | 'categories'>, field: Pick<ChannelField, 'source'>, report: HandoffReport): string {
  switch (field.source) {
    case 'url':
      return reportedUrl(report.target);
    case 'title':
      return report.target.title;
    case 'description':
      return descriptionText(channel, report);
    case 'category':
      return channelCategory(channel, report.category, report.subReason)?.words ?? ourCategoryText(channel.language, report);
    case 'screenshots':
      return screenshotsOf(report)
        .map((shot) => `${shot.name}  SHA-256 ${shot.sha256}`)
        .join('\n');
    case 'contact':
      return contactText(report);
    case 'time':
      return readableTime(report.target.capturedAt ?? report.createdAt);
    case 'subject':
      return subjectText(channel, report);
  }
}

/** Every field of a channel with its label and prepared text, in the form's order. */
export function channelFields(channel: Channel, report: HandoffReport): Array<ChannelField & { text: string }> {
  return channel.fields.map((field) => ({ ...field, text: fieldText(channel, field, report) }));
}

/**
 * A `mailto:` draft for an email channel: subject and body (every field but the subject as
 * `label：text`), attachments listed to add by hand — a mailto link cannot carry files.
 */
export function mailtoDraft(channel: Channel, report: HandoffReport): string | undefined {
  if (!channel.takesEmail || !channel.emailAddress) return undefined;
  const lang = channel.language;
  const separator = lang === 'zh_CN' ? '：' : ': ';
  const body = channel.fields
    .filter((field) => field.source !== 'subject' && field.source !== 'screenshots')
    .map((field) => ({ label: lang === 'zh_CN' ? field.label : field.labelEn, text: fieldText(channel, field, report) }))
    .filter((entry) => entry.text)
    .map((entry) => (entry.text.includes('\n') ? `${entry.label}${separator}\n${entry.text}` : `${entry.label}${separator}${entry.text}`));
  const shots = screenshotsOf(report);
  if (shots.length > 0) body.push(messageIn(lang, 'handoff_text_attach', shots.map((s) => s.name).join(', ')));
  return `mailto:${channel.emailAddress}?subject=${encodeURIComponent(subjectText(channel, report))}&body=${encodeURIComponent(body.join('\n\n'))}`;
}
