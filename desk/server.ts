/**
 * The Desk's HTTP service: a thin router, limits and the Host allow-list. Reporter-facing routes
 * (`/v1/…` intake and status, `/healthz`) are the only ones without a reviewer session; the
 * reviewers' API (`/api/…`, desk/api/routes.ts) checks session, role and CSRF per route. Every
 * other GET is the reviewers' web interface (see `serveUi` below).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { isLoopbackHost } from '../utils/schema/settings';
import type { ReportResult } from '../utils/schema/wire';
import { answerPreflight, allowExtensionOrigin } from './http/cors';
import { sendJson, sendReason } from './http/respond';
import { createStaticHandler } from './http/static';
import { createIntakeHandler } from './intake/handler';
import type { FetchFn } from './notify/platforms';
import type { DeskDb } from './store/engine';
import { loadStatusTokens } from './store/status-tokens';
import { createStatusBatchHandler, createStatusHandler } from './status/handler';
import { API_PREFIX } from './api/contract';
import { dispatch, type ApiContext } from './api/http';
import { API_ROUTES } from './api/routes';

export const REPORTS_PATH = '/v1/reports';
const STATUS_PATH = /^\/v1\/reports\/([^/]+)\/status$/;
const STATUS_BATCH_PATH = '/v1/reports/status';

export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface DeskOptions {
  db: DeskDb;
  host?: string;
  port?: number;
  /**
   * Host names (no port) the service answers to; any other `Host` header is refused, which stops
   * DNS-rebinding pages from reaching it. Loopback names are always allowed; add the public name
   * when the Desk is behind a reverse proxy (`--allowed-host`, or from `--public-url`).
   */
  allowedHosts?: readonly string[];
  maxBodyBytes?: number;
  maxInFlight?: number;
  maxInFlightBytes?: number;
  now?: () => Date;
  /**
   * The Desk's address as browsers and extensions see it (`--public-url`), when it differs from
   * the address served: channel endpoints and provisioning files use it, and session cookies are
   * `Secure` when it is https.
   */
  publicUrl?: string | undefined;
  onStored?: (results: readonly ReportResult[], channelId: string) => void;
  /** How the Desk reaches group robots when an admin tests a notifier (default: the real `fetch`). */
  fetchFn?: FetchFn;
  /** The built web interface (default .output/desk-ui, `npm run build:desk-ui`). */
  uiDir?: string;
}

export interface RunningDesk {
  /** `http://host:port`, as the service listens. */
  readonly url: string;
  readonly endpoint: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

function hostAllowed(request: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const header = request.headers.host;
  if (!header) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  return isLoopbackHost(hostname) || allowed.has(hostname);
}

export async function startDesk(options: DeskOptions): Promise<RunningDesk> {
  const { db } = options;
  const tokens = await loadStatusTokens(db);
  const allowed = new Set((options.allowedHosts ?? []).map((host) => host.toLowerCase()));
  const host = options.host ?? '127.0.0.1';
  if (!['0.0.0.0', '::'].includes(host)) allowed.add(host.replace(/^\[|\]$/g, '').toLowerCase());
  const handleIntake = createIntakeHandler({
    db,
    tokens,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxInFlight: options.maxInFlight ?? 16,
    maxInFlightBytes: options.maxInFlightBytes ?? 64 * 1024 * 1024,
    ...(options.now ? { now: options.now } : {}),
    ...(options.onStored ? { onStored: options.onStored } : {}),
  });
  const handleStatus = createStatusHandler({ db, tokens });
  const handleStatusBatch = createStatusBatchHandler({ db, tokens });
  // Filled in once the port is known (port 0 in tests).
  const api: ApiContext = {
    db,
    tokens,
    now: options.now ?? (() => new Date()),
    secureCookies: options.publicUrl?.startsWith('https:') ?? false,
    endpoint: '',
    fetchFn: options.fetchFn ?? ((input, init) => fetch(input, init)),
  };
  const handleStatic = createStaticHandler(options.uiDir);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request, allowed)) return sendReason(response, 421, 'this Desk does not answer to that host name');
    const path = new URL(request.url ?? '/', 'http://desk.invalid').pathname;
    if (path === REPORTS_PATH) {
      if (request.method === 'OPTIONS') return answerPreflight(request, response, 'POST, OPTIONS');
      allowExtensionOrigin(request, response);
      if (request.method === 'POST') return handleIntake(request, response);
      return sendReason(response, 405, 'use POST', { Allow: 'POST, OPTIONS' });
    }
    if (path === STATUS_BATCH_PATH) {
      if (request.method === 'OPTIONS') return answerPreflight(request, response, 'POST, OPTIONS');
      allowExtensionOrigin(request, response);
      if (request.method === 'POST') return handleStatusBatch(request, response);
      return sendReason(response, 405, 'use POST', { Allow: 'POST, OPTIONS' });
    }
    const status = STATUS_PATH.exec(path);
    if (status) {
      if (request.method === 'OPTIONS') return answerPreflight(request, response, 'GET, OPTIONS');
      allowExtensionOrigin(request, response);
      if (request.method === 'GET') return handleStatus(request, response, decodeURIComponent(status[1] ?? ''));
      return sendReason(response, 405, 'use GET', { Allow: 'GET, OPTIONS' });
    }
    if (path === '/healthz' && request.method === 'GET') {
      await sql`select 1`.execute(db);
      return sendJson(response, 200, { ok: true });
    }
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) return dispatch(api, API_ROUTES, request, response, path);
    // Last: every other GET is the web interface (its files, or index.html for its own routes).
    if (request.method === 'GET' || request.method === 'HEAD') return handleStatic(request, response, path);
    return sendReason(response, 404, 'not found');
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // A database that is down or locked: the extension retries a 503 after Retry-After.
      console.error(`desk: ${request.method} ${request.url}: ${(error as Error).message}`);
      sendReason(response, 503, 'the Desk could not store this right now; it will be retried', { 'Retry-After': '5' });
    });
  });
  // Slow or stuck clients must not hold connections for ever (Node's defaults are generous).
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  api.endpoint = `${(options.publicUrl ?? url).replace(/\/+$/, '')}${REPORTS_PATH}`;
  return {
    url,
    endpoint: `${url}${REPORTS_PATH}`,
    port,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
