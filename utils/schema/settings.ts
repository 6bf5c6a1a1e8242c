import { z } from 'zod';
import { isValidSigningSecret } from '../signature';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith('.localhost');
}

const checkEndpoint = (value: string, ctx: z.RefinementCtx) => {
  if (!URL.canParse(value)) {
    ctx.addIssue({ code: 'custom', message: 'error_endpoint_invalid' });
    return;
  }
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: 'error_endpoint_invalid' });
  } else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    ctx.addIssue({ code: 'custom', message: 'error_endpoint_insecure' });
  } else if (url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'error_endpoint_credentials' });
  }
};

/**
 * A reporting endpoint: HTTPS, or plain HTTP on loopback only (for local testing and the bundled
 * reference receiver). Error messages are i18n keys, translated where they are shown.
 */
export const EndpointUrl = z.string().trim().min(1, 'error_endpoint_required').superRefine(checkEndpoint);

/**
 * The user's endpoint: empty means *no endpoint* (issue 16). Reports are then saved here and
 * offered for hand-off to an official channel, never sent to a guess; a production build has no
 * default (only `npm start` and the test builds set one, `WXT_DEFAULT_ENDPOINT`).
 */
export const UserEndpointUrl = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (value !== '') checkEndpoint(value, ctx);
  });

/** Sent as `Authorization: Bearer …`: visible ASCII only, so it is always a valid header value. */
export const AccessToken = z
  .string()
  .trim()
  .max(4096, 'error_text_tooLong')
  .regex(/^[\x21-\x7e]*$/, 'error_token_invalid');

/**
 * Secret for HMAC request signatures (Standard Webhooks style); visible ASCII, like the token. A
 * `whsec_` secret must be one `signingKeyBytes` decodes (strict base64 of at least 16 bytes).
 */
export const SigningSecret = z
  .string()
  .trim()
  .max(4096, 'error_text_tooLong')
  .regex(/^[\x21-\x7e]*$/, 'error_secret_invalid')
  .refine(isValidSigningSecret, 'error_secret_whsec');

/**
 * Everything a user (or, through the managed policy layer, a school) can set. Stored in IndexedDB,
 * never in synced storage or anywhere a content script can read. Every field has a default so a
 * partial save (one page of the settings form) never resets the others.
 *
 * Owners: endpoint/token (foundation); signingSecret, batch*, maxAgeDays (delivery engine);
 * reviewBeforeSend (workspace); reporter*, allowScreenshots (policy + evidence); statusChecks,
 * notifyOnOutcome (reporter feedback).
 */
export const UserSettings = z.object({
  endpointUrl: UserEndpointUrl.default(''),
  accessToken: AccessToken.default(''),
  signingSecret: SigningSecret.default(''),
  /** Most reports per request. */
  batchSize: z.number().int().min(1, 'error_number_range').max(500, 'error_number_range').default(50),
  /** Most bytes per request body; a single report larger than this is still sent, alone. */
  batchMaxBytes: z.number().int().min(16_384, 'error_number_range').max(50_000_000, 'error_number_range').default(5_000_000),
  /** Reports still undelivered after this many days stop retrying and are shown as undelivered. */
  maxAgeDays: z.number().int().min(1, 'error_number_range').max(365, 'error_number_range').default(7),
  /** New reports wait as drafts for review instead of being sent at once. */
  reviewBeforeSend: z.boolean().default(false),
  reporterName: z.string().trim().max(200, 'error_text_tooLong').default(''),
  reporterContact: z.string().trim().max(200, 'error_text_tooLong').default(''),
  /** Whether screenshots may be captured at all (a school may turn them off). */
  allowScreenshots: z.boolean().default(true),
  /** Ask the channel what became of delivered reports (only ids and status tokens are sent). */
  statusChecks: z.boolean().default(true),
  /** A browser notification when a report is closed (needs the optional `notifications` permission). */
  notifyOnOutcome: z.boolean().default(false),
});
export type UserSettings = z.infer<typeof UserSettings>;
export type UserSettingsInput = z.input<typeof UserSettings>;

/**
 * The good-faith statement, accepted once on this device (the first report's tick) and kept with
 * the time of acceptance until the user withdraws it in Settings; later reports carry
 * `goodFaith: { accepted: true, at }` without another tick (docs/good-faith.md). Kept apart
 * from {@link UserSettings}: it is this person's own statement, never set by a policy and never
 * part of a provisioning file.
 */
export const GoodFaithAcceptance = z.object({ acceptedAt: z.string().min(1).max(64) });
export type GoodFaithAcceptance = z.infer<typeof GoodFaithAcceptance>;
