/**
 * CORS for the reporter-facing routes only (intake and status): browser extensions call them from
 * their own origin without host permission (docs/protocol.md "CORS"). Web pages get no CORS at
 * all, and the reviewers' routes never answer it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension|extension):\/\/[\w.-]+$/;

export function extensionOrigin(request: IncomingMessage): string | undefined {
  const origin = request.headers.origin;
  return typeof origin === 'string' && EXTENSION_ORIGIN.test(origin) ? origin : undefined;
}

/** Sets the CORS answer headers when the caller is an extension. */
export function allowExtensionOrigin(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Vary', 'Origin');
  const origin = extensionOrigin(request);
  if (origin) response.setHeader('Access-Control-Allow-Origin', origin);
}

/** Answers a preflight: 204 for an extension origin, 403 for anyone else. */
export function answerPreflight(request: IncomingMessage, response: ServerResponse, methods: string): void {
  const origin = extensionOrigin(request);
  response.writeHead(origin ? 204 : 403, {
    Vary: 'Origin',
    ...(origin
      ? {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': methods,
          'Access-Control-Allow-Headers': 'Content-Type, Authorization, Webhook-Id, Webhook-Timestamp, Webhook-Signature',
          'Access-Control-Max-Age': '600',
          // Chromium's Private Network Access preflight, for a Desk on a school's own network.
          'Access-Control-Allow-Private-Network': 'true',
        }
      : {}),
  });
  response.end();
}
