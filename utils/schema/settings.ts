import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith('.localhost');
}

/**
 * A reporting endpoint: HTTPS, or plain HTTP on loopback only (for local testing and the bundled
 * reference receiver). Error messages are i18n keys, translated where they are shown.
 */
export const EndpointUrl = z
  .string()
  .trim()
  .min(1, 'error_endpoint_required')
  .superRefine((value, ctx) => {
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
  });

/** Sent as `Authorization: Bearer …`: visible ASCII only, so it is always a valid header value. */
export const AccessToken = z.string().trim().max(4096, 'error_text_tooLong').regex(/^[\x21-\x7e]*$/, 'error_token_invalid');

/** What the user can set on the settings page. Stored in IndexedDB, never in synced storage. */
export const UserSettings = z.object({
  endpointUrl: EndpointUrl,
  accessToken: AccessToken.default(''),
});
export type UserSettings = z.infer<typeof UserSettings>;
export type UserSettingsInput = z.input<typeof UserSettings>;
