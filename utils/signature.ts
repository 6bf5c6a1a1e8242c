/**
 * Request signatures in the Standard Webhooks style (https://www.standardwebhooks.com/):
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64>` where the
 * signature is HMAC-SHA256 over `${id}.${timestamp}.${body}` — the exact bytes sent.
 *
 * The key: a secret of the form `whsec_<base64>` is base64-decoded, as the spec's libraries do;
 * any other secret is used as its UTF-8 bytes (docs/protocol.md "Signatures"). WebCrypto only.
 */
const encoder = new TextEncoder();

export function signingKeyBytes(secret: string): Uint8Array {
  if (secret.startsWith('whsec_')) {
    try {
      return Uint8Array.from(atob(secret.slice('whsec_'.length)), (c) => c.charCodeAt(0));
    } catch {
      // Not valid base64 after the prefix: fall back to the secret's own bytes.
    }
  }
  return encoder.encode(secret);
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
