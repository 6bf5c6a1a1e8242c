/** Small helpers for the Desk's HTTP answers: JSON only, never cached. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(text);
}

/** An error answer: `reason` is what the extension shows the reporter (docs/protocol.md). */
export const sendReason = (response: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}) =>
  sendJson(response, status, { reason }, headers);

export class BodyTooLargeError extends Error {}

/**
 * Reads a request body up to `limit` bytes. Past the limit it stops keeping the bytes but goes on
 * reading (up to 4× the limit) so the client is still listening when the 413 comes; past that it
 * drops the connection.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit * 4) {
        request.destroy();
        reject(new BodyTooLargeError(`the body is larger than ${limit} bytes`));
      } else if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => (size > limit ? reject(new BodyTooLargeError(`the body is larger than ${limit} bytes`)) : resolve(Buffer.concat(chunks, size))));
    request.on('error', reject);
  });
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}
