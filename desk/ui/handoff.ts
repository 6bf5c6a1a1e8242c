/**
 * The official channels a report can be forwarded to: the shared channel catalogue the extension
 * uses (utils/handoff/catalogue.json), ranked for the report by the same function, with each
 * field's text written by the same builders (utils/handoff/fields.ts) the extension's companion
 * uses. The Desk never submits: the reviewer copies, attaches and records.
 */
import { SHIPPED_CATALOGUE } from '../../utils/handoff/catalogue';
import { channelFields, channelsFor, mailtoDraft, type HandoffReport } from '../../utils/handoff/fields';
import type { Channel } from '../../utils/schema/channel-catalogue';
import type { ReportView } from '../api/contract';
import type { Locale } from './i18n';

export interface HandoffOption {
  id: string;
  name: string;
  /** Who the channel is for, in the reviewer's language. */
  audience: string;
  formUrl?: string;
  /** Platform routes: where the report function is in the platform's own interface. */
  route?: string;
  /** Link lists (provincial offices): each office and its site when known. */
  links: Array<{ name: string; url?: string }>;
  fields: Array<{ label: string; value: string }>;
  /** A `mailto:` draft for a channel that takes email (attachments added by hand). */
  mailto?: string;
}

const inLocale = (text: Channel['name'], locale: Locale) => (locale === 'zh-CN' ? text.zh_CN : text.en);

/**
 * The report as the builders read it. The Desk's view carries the evidence as verified artifacts
 * (no bytes): the builders read only each artifact's name, media type and hash from it.
 */
function handoffReport(view: ReportView): HandoffReport {
  const artifacts = view.artifacts.map(({ name, mediaType, sha256, size }) => ({ name, mediaType, sha256, size }));
  return { ...view.report, evidence: { artifacts } as unknown as HandoffReport['evidence'] };
}

export function handoffOptions(view: ReportView, locale: Locale): HandoffOption[] {
  const report = handoffReport(view);
  return channelsFor(SHIPPED_CATALOGUE.channels, report).map((channel) => {
    const mailto = mailtoDraft(channel, report);
    return {
      id: channel.id,
      name: inLocale(channel.name, locale),
      audience: inLocale(channel.audience, locale),
      ...(channel.formUrl ? { formUrl: channel.formUrl } : {}),
      ...(channel.route ? { route: inLocale(channel.route, locale) } : {}),
      links: (channel.links ?? []).map((link) => ({ name: inLocale(link.name, locale), ...(link.url ? { url: link.url } : {}) })),
      fields: channelFields(channel, report)
        .filter((field) => field.text)
        .map((field) => ({ label: locale === 'zh-CN' ? field.label : `${field.labelEn} (${field.label})`, value: field.text })),
      ...(mailto ? { mailto } : {}),
    };
  });
}

/** A recorded hand-off's channel by name (an id the catalogue no longer lists shows as the id). */
export function handoffChannelName(channelId: string, locale: Locale): string {
  const channel = SHIPPED_CATALOGUE.channels.find((candidate) => candidate.id === channelId);
  return channel ? inLocale(channel.name, locale) : channelId;
}
