import { z } from 'zod';

/**
 * What the picker (a content script in a hostile page) sends at pick time, and the evidence
 * that travels in a report. Everything from the page is length- and count-capped here; URLs must
 * be absolute http(s) (or file) URLs. The page URL and title never come from this message: the
 * background reads them from the browser's tab record.
 */
export const CAPTURE_TEXT_MAX = 10_000;
export const CAPTURE_URLS_MAX = 50;
export const SELECTOR_MAX = 4000;
export const QUOTE_CONTEXT = 32;

const WebUrl = z
  .string()
  .max(8192)
  .refine((value) => URL.canParse(value) && /^(https?|file):$/.test(new URL(value).protocol), 'error_url_invalid');

export const Box = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().nonnegative(),
  height: z.number().finite().nonnegative(),
});
export type Box = z.infer<typeof Box>;

/**
 * A CSS selector in the element's own document; for an element inside (nested) open shadow
 * roots, the selector of the shadow host, `refinedBy` the selector inside its shadow root.
 */
export type CssSelectorValue = { type: 'CssSelector'; value: string; refinedBy?: CssSelectorValue };
/** Shadow roots a selector may descend through. A recursive schema let a 5,000-deep `refinedBy` overflow the stack. */
export const SELECTOR_DEPTH_MAX = 8;
const cssSelectorLevel = <T extends z.ZodType>(refinedBy: T) =>
  z.object({ type: z.literal('CssSelector'), value: z.string().min(1).max(SELECTOR_MAX), refinedBy: refinedBy.optional() });
/** Built level by level (no recursion): the innermost of {@link SELECTOR_DEPTH_MAX} levels refuses a further `refinedBy`. */
export const CssSelector = Array.from({ length: SELECTOR_DEPTH_MAX - 1 }).reduce<z.ZodType<CssSelectorValue>>(
  (inner) => cssSelectorLevel(inner),
  cssSelectorLevel(z.never()),
);
export const TextQuoteSelector = z.object({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().max(CAPTURE_TEXT_MAX),
  prefix: z.string().max(QUOTE_CONTEXT * 4),
  suffix: z.string().max(QUOTE_CONTEXT * 4),
});
export const TextPositionSelector = z.object({
  type: z.literal('TextPositionSelector'),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type TextQuoteSelectorValue = z.infer<typeof TextQuoteSelector>;
export type TextPositionSelectorValue = z.infer<typeof TextPositionSelector>;
/** W3C Web Annotation selectors (the Web Annotation Data Model's CssSelector, TextQuoteSelector, TextPositionSelector). */
export const Selector = z.union([CssSelector, TextQuoteSelector, TextPositionSelector]);
export type Selector = z.infer<typeof Selector>;

export const MediaRef = z.object({ type: z.enum(['image', 'video']), url: WebUrl });

/** The picker's one message: what the user picked, captured the moment it was picked. */
export const PickerCapture = z.object({
  /** The one-time token the background gave this injection. */
  token: z.uuid(),
  kind: z.enum(['element', 'selection']),
  selectors: z.array(Selector).min(1).max(3),
  /** The element's or selection's text (rendered as text only), cut at CAPTURE_TEXT_MAX. */
  text: z.string().max(CAPTURE_TEXT_MAX),
  truncated: z.boolean(),
  tagName: z.string().max(64).optional(),
  links: z.array(WebUrl).max(CAPTURE_URLS_MAX),
  media: z.array(MediaRef).max(CAPTURE_URLS_MAX),
  /** Box on screen in CSS pixels, relative to the top-level viewport. */
  box: Box,
  frameUrl: WebUrl.optional(),
  /** A cross-origin frame picked as a whole: its address. */
  iframeSrc: WebUrl.optional(),
  canonicalUrl: WebUrl.optional(),
  lang: z.string().max(35).optional(),
  permalink: WebUrl.optional(),
  viewport: z.object({ width: z.number().int().positive().max(100_000), height: z.number().int().positive().max(100_000) }),
  devicePixelRatio: z.number().positive().max(16),
  pickedAt: z.number().int().positive(),
  /** Where the overlay's hint was drawn (utils/picker/probe.ts): the screenshot must not show it. */
  overlayProbe: Box.optional(),
});
export type PickerCapture = z.infer<typeof PickerCapture>;

export const ArtifactName = z.enum(['viewport.png', 'element.png', 'text.txt']);
export type ArtifactName = z.infer<typeof ArtifactName>;
export const ArtifactMediaType = z.enum(['image/png', 'text/plain;charset=utf-8']);
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** Why an artifact is not in a report. */
export const UnavailableReason = z.enum([
  /** The category forbids pixels (child sexual exploitation: metadata only). */
  'category-policy',
  /** Screenshots are switched off in settings (or by policy). */
  'screenshots-disabled',
  /** The browser does not allow capturing this page. */
  'restricted-page',
  /** Capturing failed; `detail` says how. */
  'capture-failed',
  /** The user left it out before submitting. */
  'user-excluded',
]);
export type UnavailableReason = z.infer<typeof UnavailableReason>;

export const ManifestEntry = z.object({ name: ArtifactName, mediaType: ArtifactMediaType, sha256: Sha256Hex, size: z.number().int().nonnegative() });
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const WireArtifact = ManifestEntry.extend({
  capturedAt: z.iso.datetime({ offset: true }),
  /**
   * The reporter blacked out this many areas of the screenshot before sending (names, faces):
   * the bytes, size and sha256 are those of the redacted image; the original was never sent.
   */
  redactedAreas: z.number().int().positive().max(100).optional(),
  /** The artifact's exact bytes, base64: a receiver recomputes `sha256` over them. */
  dataBase64: z.string().max(30_000_000),
});
export type WireArtifact = z.infer<typeof WireArtifact>;

export const Evidence = z.object({
  /** sha256 over the canonical JSON of [{name, mediaType, sha256, size}] sorted by name. */
  manifestSha256: Sha256Hex,
  artifacts: z.array(WireArtifact).max(3),
  unavailable: z.array(z.object({ name: ArtifactName, reason: UnavailableReason, detail: z.string().max(500).optional() })).max(6),
});
export type Evidence = z.infer<typeof Evidence>;
