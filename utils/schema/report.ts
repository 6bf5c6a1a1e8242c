import { z } from 'zod';
import { EXPLANATION_MAX } from './limits';
import { AbsoluteUrl, IsoDateTime, ReportId } from './common';
import { Box, CAPTURE_TEXT_MAX, CAPTURE_URLS_MAX, Evidence, MediaRef, Selector } from './capture';

/**
 * A report as it is stored and as it goes over the wire. Once a delivery attempt has been made
 * this body never changes: the id is the idempotency key, and a receiver must never see two
 * bodies for one id (DESIGN.md "The reporting protocol").
 */
export const REPORT_SCHEMA_VERSION = 1;
export { EXPLANATION_MAX };
export const TITLE_MAX = 2000;

/** Category and sub-reason ids: stable, lower-case wire values (`rumor`, `health_safety`). */
export const CategoryId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);

/**
 * A report's category: a built-in id, or `custom:<slug>` for an organisation's own category
 * (set by its managed policy; checked against that policy when the report is made).
 */
export const ReportCategory = z.union([CategoryId, z.string().regex(/^custom:[a-z0-9][a-z0-9_-]{0,47}$/)]);

/** Who reported, when the reporter gave it (or the organisation's policy requires it). */
export const Reporter = z.object({
  name: z.string().max(200),
  contact: z.string().max(200),
});
export type Reporter = z.infer<typeof Reporter>;

export const TargetKind = z.enum(['page', 'element', 'selection', 'link', 'image']);

export const Target = z.object({
  kind: TargetKind,
  /** The page URL as the browser reports it for the tab — never as the page claims. */
  url: AbsoluteUrl,
  /** The page title as the browser reports it for the tab. */
  title: z.string().max(TITLE_MAX),
  canonicalUrl: AbsoluteUrl.optional(),
  frameUrl: AbsoluteUrl.optional(),
  // What was picked, captured at pick time (all optional: a page report has none of it).
  /** W3C Web Annotation selectors: CssSelector, TextQuoteSelector, TextPositionSelector. */
  selectors: z.array(Selector).max(3).optional(),
  text: z.string().max(CAPTURE_TEXT_MAX).optional(),
  /** The text was cut at CAPTURE_TEXT_MAX characters. */
  textTruncated: z.boolean().optional(),
  tagName: z.string().max(64).optional(),
  links: z.array(AbsoluteUrl).max(CAPTURE_URLS_MAX).optional(),
  media: z.array(MediaRef).max(CAPTURE_URLS_MAX).optional(),
  /** The picked element's box on screen (CSS pixels, top-level viewport). */
  box: Box.optional(),
  viewport: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
  devicePixelRatio: z.number().positive().optional(),
  lang: z.string().max(35).optional(),
  /** A link inside the picked post that likely points at the post itself. */
  permalink: AbsoluteUrl.optional(),
  /** A link or image reported from the context menu, without opening it. */
  linkUrl: AbsoluteUrl.optional(),
  srcUrl: AbsoluteUrl.optional(),
  /** A cross-origin frame picked as a whole. */
  iframeSrc: AbsoluteUrl.optional(),
  capturedAt: IsoDateTime.optional(),
  /** Single-page sites: the tab's address at pick time and at submit time, when they differ. */
  urlAtPick: AbsoluteUrl.optional(),
  urlAtSubmit: AbsoluteUrl.optional(),
});
export type Target = z.infer<typeof Target>;

export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  id: ReportId,
  /**
   * Absent means 1. A report edited after a delivery attempt is sent again with the same id and
   * the next revision (docs/protocol.md "Revisions"); (id, revision) never has two bodies.
   */
  revision: z.number().int().min(2).max(10_000).optional(),
  createdAt: IsoDateTime,
  category: ReportCategory,
  subReason: CategoryId.optional(),
  /** EU DSA `STATEMENT_CATEGORY_*` code for forwarding; an extra, not the user-facing model. */
  dsaCategory: z
    .string()
    .regex(/^STATEMENT_CATEGORY_[A-Z_]+$/)
    .optional(),
  explanation: z.string().max(EXPLANATION_MAX, 'error_text_tooLong'),
  goodFaith: z.object({ accepted: z.literal(true), at: IsoDateTime }),
  target: Target,
  reporter: Reporter.optional(),
  /**
   * Evidence artifacts with their bytes and hashes. Added to schema version 1 as an optional
   * field: a receiver that does not know it still accepts the report.
   */
  evidence: Evidence.optional(),
  client: z.object({
    name: z.literal('flagline'),
    version: z.string().max(64),
    /** The language the reporter used the extension in. */
    locale: z.string().max(35),
  }),
});
export type Report = z.infer<typeof Report>;
