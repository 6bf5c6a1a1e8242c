import { z } from 'zod';
import { isLoopbackHost } from './settings';

/**
 * The catalogue of official channels a report can be handed off to (issue 16): China's 12377
 * reporting centre (web form and email), piyao.org.cn, the provincial cyberspace offices and the
 * platforms' own report routes. None of them has an API for citizens: Flagline opens the form and
 * a companion with every field ready to copy; the user submits.
 *
 * One versioned data file (`utils/handoff/catalogue.json`) validated by this schema is bundled into
 * the extension and imported by the Desk, whose hand-off uses the same channels. This module is
 * pure (zod only): no browser, Preact or Dexie, so the Desk can import it.
 */
export const CATALOGUE_SCHEMA_VERSION = 1;

/** Our built-in category ids (utils/categories.ts); a channel says which of them it takes. */
export const HandoffCategoryId = z.enum(['rumor', 'cyberviolence', 'minors']);
export type HandoffCategoryId = z.infer<typeof HandoffCategoryId>;

/** The languages the extension speaks; a channel reads one of them. */
export const ChannelLanguage = z.enum(['zh_CN', 'en']);
export type ChannelLanguage = z.infer<typeof ChannelLanguage>;

/** Text in both languages the extension speaks. */
export const BilingualText = z.object({ zh_CN: z.string().trim().min(1).max(400), en: z.string().trim().min(1).max(400) });
export type BilingualText = z.infer<typeof BilingualText>;

/** A channel id: lower-case words and digits joined by dashes (`cac-12377-web`). */
export const ChannelId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+){0,7}$/);

/**
 * A channel is a public website: https only — or plain http on loopback, as for endpoints, so a
 * school can test its own channel (and the e2e suite a copy of a form) on this computer.
 */
const HttpsUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, 'https URL');

const EmailAddress = z.email().max(200);

/** `YYYY-MM-DD`. */
const CalendarDate = z.iso.date();

/**
 * What kind of route a channel is:
 * - `official-form`: a web form on the channel's site (opened in a tab beside the companion);
 * - `email`: an address that takes reports (a `mailto:` draft; attachments added by hand);
 * - `link-list`: a list of offices, each with its own site (the user picks the right one);
 * - `platform-route`: the report function inside the platform that hosts the post, given as
 *   guidance ("report it on the platform too"), since it lives in the platform's own UI.
 */
export const ChannelKind = z.enum(['official-form', 'email', 'link-list', 'platform-route']);
export type ChannelKind = z.infer<typeof ChannelKind>;

/**
 * Which of a report's data fills a field of the channel's form:
 * `url` the reported address; `title` the page title; `description` text written from the report
 * (what, where, when, why); `category` the category in the channel's own words; `screenshots` the
 * evidence images (downloaded or dragged, never typed); `contact` the reporter's contact details;
 * `time` when it was seen; `subject` an email subject line.
 */
export const FieldSource = z.enum(['url', 'title', 'description', 'category', 'screenshots', 'contact', 'time', 'subject']);
export type FieldSource = z.infer<typeof FieldSource>;

export const ChannelField = z.object({
  /** The form's own label for the field, in the channel's language (`举报网址`). */
  label: z.string().trim().min(1).max(60),
  /** The same label for a reader of the other language. */
  labelEn: z.string().trim().min(1).max(60),
  source: FieldSource,
  required: z.boolean(),
});
export type ChannelField = z.infer<typeof ChannelField>;

/**
 * A category the channel takes, with the channel's own word for it. A category may appear more
 * than once with different sub-reasons (12377 files sexual content and gambling under different
 * words); the first entry that matches a report's sub-reason wins, so the narrow ones come first.
 */
export const ChannelCategory = z.object({
  category: HandoffCategoryId,
  /** Narrowed to these sub-reasons (utils/categories.ts ids); absent: every sub-reason. */
  reasons: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/))
    .min(1)
    .optional(),
  /** The channel's own category words, in its language (`谣言类`). */
  words: z.string().trim().min(1).max(80),
  /** How well the channel fits this category: lower is better (the list is sorted by it). */
  rank: z.number().int().min(0).max(99),
});
export type ChannelCategory = z.infer<typeof ChannelCategory>;

/** One office of a link list (a provincial cyberspace office). */
export const ChannelLink = z.object({
  name: BilingualText,
  /** Absent when no source could confirm the office's own site: the user searches for it. */
  url: HttpsUrl.optional(),
});

/**
 * Where the facts were read and when. `unconfirmed` says, in plain English for the maintainers,
 * what no source could confirm (a field label, an address): it is shown to nobody but kept honest.
 */
export const ChannelSource = z.object({
  /** The pages the facts were read from; empty only when `unconfirmed` says what is unconfirmed. */
  pages: z.array(z.url().max(2000)),
  lastChecked: CalendarDate,
  unconfirmed: z.array(z.string().max(300)).optional(),
});

export const Channel = z
  .object({
    id: ChannelId,
    kind: ChannelKind,
    name: BilingualText,
    /** Who the channel is for (which reports it handles). */
    audience: BilingualText,
    /** The language its form reads; field text is written in it. */
    language: ChannelLanguage,
    categories: z.array(ChannelCategory).min(1),
    /** The page to open beside the companion: the form, or the platform's site. */
    formUrl: HttpsUrl.optional(),
    takesEmail: z.boolean(),
    emailAddress: EmailAddress.optional(),
    /** The channel asks for the reporter's contact details before it accepts a report. */
    requiresContact: z.boolean(),
    fields: z.array(ChannelField).max(12),
    /** Platform routes: how to find the report function (`⋯` → 举报), in both languages. */
    route: BilingualText.optional(),
    /** Platform routes: the sites whose posts this route is for; offered (near the top) only for posts on them. */
    hosts: z.array(z.string().regex(/^[a-z0-9.-]+$/)).optional(),
    links: z.array(ChannelLink).optional(),
    source: ChannelSource,
  })
  .superRefine((channel, ctx) => {
    const issue = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (channel.takesEmail !== (channel.emailAddress !== undefined)) issue('takesEmail and emailAddress go together', 'emailAddress');
    if (channel.kind === 'email' && !channel.takesEmail) issue('an email channel takes email', 'takesEmail');
    if (channel.kind === 'official-form' && !channel.formUrl) issue('an official form needs its URL', 'formUrl');
    if (channel.kind === 'link-list' && !channel.links?.length) issue('a link list needs links', 'links');
    if (channel.kind === 'platform-route' && (!channel.route || !channel.hosts?.length)) issue('a platform route needs its route and hosts', 'route');
    if (channel.source.pages.length === 0 && !channel.source.unconfirmed?.length) issue('no source page: say what is unconfirmed', 'source');
  });
export type Channel = z.infer<typeof Channel>;

export const ChannelCatalogue = z
  .object({
    schemaVersion: z.literal(CATALOGUE_SCHEMA_VERSION),
    /** The data's own version: the date of the last change (`2026-12-06`). */
    version: CalendarDate,
    channels: z.array(Channel).min(1),
  })
  .superRefine((catalogue, ctx) => {
    const ids = new Set<string>();
    for (const channel of catalogue.channels) {
      if (ids.has(channel.id)) ctx.addIssue({ code: 'custom', message: `duplicate channel id ${channel.id}`, path: ['channels'] });
      ids.add(channel.id);
    }
  });
export type ChannelCatalogue = z.infer<typeof ChannelCatalogue>;
