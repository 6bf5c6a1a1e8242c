/**
 * Standard Webhooks signature check (https://www.standardwebhooks.com/, docs/protocol.md
 * "Signatures"): `webhook-signature` holds space-separated `v1,<base64>` entries, any one of which
 * may match HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}`. The secret is decoded by
 * the extension's own `signingKeyBytes`, so sender and receiver can never disagree on the key.
 * The Desk and the test receiver (tests/support/receiver) both use this function.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { signingKeyBytes } from '../../utils/signature';

/** How far a signature's timestamp may be from now (Standard Webhooks suggests 5 minutes). */
export const SIGNATURE_TOLERANCE_S = 5 * 60;

/** The reason for a timestamp outside the window: the Desk answers it with `code: 'clock_skew'`. */
export const STALE_TIMESTAMP = 'the signature timestamp is more than 5 minutes away from the Desk clock: check this computer’s clock';

/** Returns why the signature fails, or undefined when it is valid. */
export function verifySignature(secret: string, headers: IncomingHttpHeaders, body: string | Buffer, nowSeconds = Date.now() / 1000): string | undefined {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string')
    return 'missing signature headers (webhook-id, webhook-timestamp, webhook-signature)';
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_S) return STALE_TIMESTAMP;
  const expected = createHmac('sha256', signingKeyBytes(secret)).update(`${id}.${timestamp}.`).update(body).digest();
  for (const entry of signature.split(' ')) {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  }
  return 'bad signature';
}
