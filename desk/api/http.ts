/**
 * The reviewers' API plumbing: one route table (desk/api/routes.ts) of handlers that each say
 * who may call them; this module checks the session, the role and the CSRF token before any
 * handler runs, parses bodies and queries with the contract's zod schemas, and turns failures
 * into `ApiError` answers. Never any CORS header: the API is same-origin only.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { CSRF_HEADER, type ApiError } from './contract';
import { readSession, sessionCookieValue, type Session } from '../auth/sessions';
import type { FetchFn } from '../notify/platforms';
import type { DeskDb } from '../store/engine';
import type { StatusTokens } from '../store/status-tokens';
import { BodyTooLargeError, readBody } from '../http/respond';

export interface ApiContext {
  db: DeskDb;
  tokens: StatusTokens;
  now: () => Date;
  /** Cookies get `Secure` when the Desk's public URL is https. */
  secureCookies: boolean;
  /** Where extensions send reports (`…/v1/reports`), for channel answers and provisioning files. */
  endpoint: string;
  /** How the Desk reaches group robots (a notifier's test message); the real `fetch` when served. */
  fetchFn: FetchFn;
}

export interface ApiRequest {
  raw: IncomingMessage;
  response: ServerResponse;
  /** The path's captured parts, decoded. */
  params: string[];
  query: URLSearchParams;
  /** The caller's address, for the sign-in throttle. */
  address: string;
}

export interface SignedIn extends ApiRequest {
  session: Session;
}

type Access = 'public' | 'reviewer' | 'admin';
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  path: RegExp;
  access: Access;
  handle(context: ApiContext, request: ApiRequest & { session?: Session }): Promise<unknown>;
}

/** Returned by a handler that wrote its own answer (bytes, CSV, a cookie). */
export const ANSWERED = Symbol('answered');

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiError['code'],
    message: string,
    readonly headers: Record<string, string> = {},
    readonly issues?: ApiError['issues'],
  ) {
    super(message);
  }
}

export const notFound = (what = 'no such report') => new ApiFailure(404, 'not_found', what);

export function publicRoute(
  method: Method,
  path: RegExp,
  handle: (context: ApiContext, request: ApiRequest & { session?: Session }) => Promise<unknown>,
): Route {
  return { method, path, access: 'public', handle };
}

export function reviewerRoute(method: Method, path: RegExp, handle: (context: ApiContext, request: SignedIn) => Promise<unknown>): Route {
  return { method, path, access: 'reviewer', handle: (context, request) => handle(context, request as SignedIn) };
}

export function adminRoute(method: Method, path: RegExp, handle: (context: ApiContext, request: SignedIn) => Promise<unknown>): Route {
  return { method, path, access: 'admin', handle: (context, request) => handle(context, request as SignedIn) };
}

/** Headers every /api answer carries. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function sendApiJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...API_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

function sendFailure(response: ServerResponse, failure: ApiFailure): void {
  const body: ApiError = { error: failure.message, code: failure.code, ...(failure.issues ? { issues: failure.issues } : {}) };
  sendApiJson(response, failure.status, body, failure.headers);
}

const BODY_LIMIT = 256 * 1024;

/** Parses a JSON body with a contract schema; 400 with the issues when it does not fit. */
export async function readJson<T extends z.ZodType>(request: ApiRequest, schema: T): Promise<z.infer<T>> {
  if (!/^application\/json\s*(;|$)/i.test(request.raw.headers['content-type'] ?? ''))
    throw new ApiFailure(415, 'bad_request', 'Content-Type must be application/json');
  let json: unknown;
  try {
    json = JSON.parse((await readBody(request.raw, BODY_LIMIT)).toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ApiFailure(413, 'bad_request', error.message);
    throw new ApiFailure(400, 'bad_request', 'the body is not valid JSON');
  }
  return parseWith(schema, json);
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ApiFailure(
    400,
    'bad_request',
    'the request does not fit the API contract',
    {},
    parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

function csrfMatches(request: IncomingMessage, session: Session): boolean {
  const given = Buffer.from(String(request.headers[CSRF_HEADER] ?? ''));
  const expected = Buffer.from(session.csrfToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Runs the route that matches `path`, or answers 404/405. Only called for paths under /api/. */
export async function dispatch(context: ApiContext, routes: readonly Route[], raw: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  try {
    const method = raw.method === 'HEAD' ? 'GET' : (raw.method ?? 'GET');
    const matching = routes.map((route) => ({ route, match: route.path.exec(path) })).filter((entry) => entry.match);
    if (matching.length === 0) throw new ApiFailure(404, 'not_found', 'no such API route');
    const found = matching.find((entry) => entry.route.method === method);
    if (!found?.match)
      throw new ApiFailure(405, 'bad_request', `use ${matching.map((entry) => entry.route.method).join(', ')}`, {
        Allow: matching.map((entry) => entry.route.method).join(', '),
      });
    const { route } = found;
    let params: string[];
    try {
      params = found.match.slice(1).map((part) => decodeURIComponent(part ?? ''));
    } catch {
      throw new ApiFailure(404, 'not_found', 'no such API route');
    }
    const request: ApiRequest & { session?: Session } = {
      raw,
      response,
      params,
      query: new URL(raw.url ?? '/', 'http://desk.invalid').searchParams,
      address: raw.socket.remoteAddress ?? 'unknown',
    };
    const session = await readSession(context.db, sessionCookieValue(raw), context.now());
    if (session) request.session = session;
    if (route.access !== 'public') {
      if (!session) throw new ApiFailure(401, 'unauthenticated', 'sign in first');
      if (route.access === 'admin' && session.user.role !== 'admin') throw new ApiFailure(403, 'forbidden', 'admins only');
      if (method !== 'GET' && !csrfMatches(raw, session)) throw new ApiFailure(403, 'csrf', 'missing or wrong X-CSRF-Token');
    }
    const answer = await route.handle(context, request);
    if (answer !== ANSWERED) sendApiJson(response, 200, answer ?? { ok: true });
  } catch (error) {
    if (error instanceof ApiFailure) return sendFailure(response, error);
    console.error(`desk api: ${raw.method} ${path}: ${(error as Error).stack ?? String(error)}`);
    sendFailure(response, new ApiFailure(500, 'server', 'the Desk could not do that; try again'));
  }
}
