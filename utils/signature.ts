/**
 * Request signatures in the Standard Webhooks style (docs/protocol.md, "Signatures"):
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64>` where the
 * signature is HMAC-SHA256 over `${id}.${timestamp}.${body}` — the exact bytes sent.
 *
 * The key: a secret of the form `whsec_<base64>` is base64-decoded, as the spec's libraries do;
 * any other secret is used as its UTF-8 bytes (docs/protocol.md "Signatures"). WebCrypto only.
 *
 * `signingKeyBytes` is the one decoder of a secret: the extension signs with it, and every
 * receiver (the Desk, the tests' receiver) verifies with it, so both always derive the same key.
 */
const encoder = new TextEncoder();

/** Prefix of a secret that is base64 of random bytes (Standard Webhooks). */
export const WHSEC_PREFIX = 'whsec_';
/** Fewest key bytes a `whsec_` secret must decode to (128 bits). */
export const WHSEC_MIN_BYTES = 16;
/** Standard alphabet, padded to a multiple of four characters. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A `whsec_` secret that is not base64 (standard alphabet, proper padding) of at least 16 bytes. */
export class InvalidSigningSecretError extends Error {
  override readonly name = 'InvalidSigningSecretError';
  constructor() {
    // Never quotes the secret: messages end up in logs.
    super(`a ${WHSEC_PREFIX} signing secret must be standard base64 with padding, of at least ${WHSEC_MIN_BYTES} bytes`);
  }
}

/**
 * The HMAC key for a secret. A `whsec_` secret must be strict base64 (standard alphabet, proper
 * padding, no stray bits after the last byte) of at least 16 bytes, or this throws
 * `InvalidSigningSecretError`: guessing (falling back to the UTF-8 bytes, or decoding leniently)
 * made sender and receiver derive different keys.
 */
export function signingKeyBytes(secret: string): Uint8Array {
  if (!secret.startsWith(WHSEC_PREFIX)) return encoder.encode(secret);
  const encoded = secret.slice(WHSEC_PREFIX.length);
  if (!STRICT_BASE64.test(encoded)) throw new InvalidSigningSecretError();
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  // Re-encoding gives the input back only when no bits hide after the last byte.
  if (bytes.length < WHSEC_MIN_BYTES || toBase64(bytes) !== encoded) throw new InvalidSigningSecretError();
  return bytes;
}

/** Whether `signingKeyBytes` accepts the secret (for settings and policy validation). */
export function isValidSigningSecret(secret: string): boolean {
  try {
    signingKeyBytes(secret);
    return true;
  } catch {
    // The only error signingKeyBytes throws is InvalidSigningSecretError.
    return false;
  }
}

export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function hmacSha256Base64(secret: string, content: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', signingKeyBytes(secret) as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64(await crypto.subtle.sign('HMAC', key, encoder.encode(content)));
}

export async function sha256Hex(content: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(content)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export type SignatureHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

/** The three headers for one request body. `id` is the message id (stable across retries). */
export async function signatureHeaders(secret: string, id: string, timestampSeconds: number, body: string): Promise<SignatureHeaders> {
  const timestamp = String(Math.floor(timestampSeconds));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${await hmacSha256Base64(secret, `${id}.${timestamp}.${body}`)}`,
  };
}
