/**
 * The fault-injecting test receiver: a small in-memory HTTP server speaking Flagline's reporting
 * protocol (docs/protocol.md) on loopback, for the delivery tests and the bench. It misbehaves on
 * purpose (5xx, resets, 429, 410, late answers, no CORS) so tests can show the extension delivers
 * through it. It is test support, not a product: the product's receiver is the Desk (desk/).
 *
 * It validates with the same zod schemas the extension sends with, keeps exactly one copy per
 * report id (a resend answers `duplicate`; the same id with another body is refused and counted
 * as a conflict), and checks signatures with the Desk's own verifier.
 *
 * One module on purpose: a test starts it with one call and reads everything it did (stored
 * reports, requests, fault counts) from the object it returns; the faults, the store and the
 * request handling share that state.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';
import { Report } from '../../utils/schema/report';
import type { ReportResult } from '../../utils/schema/wire';
import { isLoopbackHost } from '../../utils/schema/settings';
import { renderDemoPage } from '../../scripts/demo/page';
import { verifySignature } from '../../desk/intake/signature';
import { canonicalJson, verifyEvidence, type EvidenceVerification } from '../../utils/evidence/hash';

export const REPORTS_PATH = '/v1/reports';
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface StoredReport {
  id: string;
  receipt: string;
  receivedAt: string;
  /** The newest revision received (absent `revision` in a report means 1). */
  revision: number;
  /** sha256 of the canonical JSON of the newest revision's body. */
  bodyHash: string;
  /** Body hash of every revision received: two bodies for one (id, revision) are a protocol violation. */
  revisions?: Record<string, string>;
  report: Report;
  /**
   * Every evidence hash recomputed from the bytes received, and the manifest hash from those:
   * `ok: false` flags a mismatch (shown on the reports page and in the JSON).
   */
  evidenceCheck?: EvidenceVerification;
}

export interface ReceiverOptions {
  port?: number;
  host?: string;
  /** Where reports are kept between runs; memory only when absent. */
  dataFile?: string;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /**
   * When set, requests must carry a valid Standard Webhooks signature made with this secret
   * (`whsec_<base64>` is base64-decoded, any other string is used as its UTF-8 bytes).
   */
  signingSecret?: string;
  faults?: Faults;
}

/** Misbehaviour on purpose, to test that the extension delivers through it. */
export interface Faults {
  /** Hold every answer this long after storing the reports: an acknowledgement that comes late. */
  delayMs?: number;
  /** Seed of the fault RNG (mulberry32), so a fault run is repeatable. */
  seed?: number;
  /** Probability of answering 500/502/503 without storing anything. */
  error5xxRate?: number;
  /** Probability of destroying the connection (`socket.destroy()`), before or after storing. */
  resetRate?: number;
  /** Probability of answering 429 with `Retry-After: retryAfterSeconds`, storing nothing. */
  throttleRate?: number;
  retryAfterSeconds?: number;
  /** Answer 410 Gone to every POST: the channel was shut down. */
  gone?: boolean;
  /** Send no CORS headers at all: an endpoint that does not know about browser extensions. */
  noCors?: boolean;
}

/** A small seeded PRNG (mulberry32): fault runs repeat exactly for one seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  origin?: string;
  authorization?: string;
  reportIds: string[];
}

export interface Receiver {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The reporting endpoint to configure in the extension. */
  readonly endpoint: string;
  readonly port: number;
  reports(): StoredReport[];
  /** Every request that reached the endpoint, oldest first. */
  readonly requests: RequestLogEntry[];
  /** Times a known id arrived with a different body (must stay 0). */
  conflicts(): number;
  /** Current fault settings; change them at any time (a new `seed` restarts the fault RNG). */
  faults: Faults;
  /** Answers given per kind, to check that a fault run really misbehaved. */
  readonly faultCounts: Record<'error5xx' | 'reset' | 'throttle' | 'gone', number>;
  /** Resolves with the stored report once one matches (already stored ones count). */
  waitForReport(predicate?: (report: StoredReport) => boolean, timeoutMs?: number): Promise<StoredReport>;
  close(): Promise<void>;
}

// Canonical JSON: the same definition the extension hashes with (utils/evidence/hash.ts).
export { canonicalJson };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension|extension):\/\/[\w.-]+$/;

/** CORS is granted to browser extensions and to loopback pages (for manual testing). */
function allowedOrigin(origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (EXTENSION_ORIGIN.test(origin)) return origin;
  if (URL.canParse(origin) && isLoopbackHost(new URL(origin).hostname)) return origin;
  return undefined;
}

function newReceipt(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `FL-${day}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`The reference receiver only listens on loopback, not ${host}.`);

  const store = new Map<string, StoredReport>();
  if (options.dataFile) {
    const saved = await readFile(options.dataFile, 'utf8').then(
      (text) => z.object({ reports: z.array(z.unknown()) }).parse(JSON.parse(text)).reports as StoredReport[],
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    for (const stored of saved) store.set(stored.id, stored);
  }

  const faults: Faults = { ...options.faults };
  const faultCounts = { error5xx: 0, reset: 0, throttle: 0, gone: 0 };
  let rngSeed = faults.seed;
  let rng = seededRandom(faults.seed ?? 1);
  /** Draws from the seeded fault RNG (reseeded when `faults.seed` changes). */
  const roll = (rate: number | undefined) => {
    if (faults.seed !== rngSeed) {
      rngSeed = faults.seed;
      rng = seededRandom(faults.seed ?? 1);
    }
    return rate !== undefined && rate > 0 && rng() < rate;
  };
  const events = new EventEmitter();
  const requests: RequestLogEntry[] = [];
  let conflictCount = 0;
  let persisting = Promise.resolve();

  const persist = () => {
    const file = options.dataFile;
    if (!file) return Promise.resolve();
    // Serialised, and written to a temporary file first so a crash never leaves half a file.
    persisting = persisting.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify({ reports: [...store.values()] }, null, 1));
      await rename(`${file}.tmp`, file);
    });
    return persisting;
  };

  async function receive(raw: unknown): Promise<ReportResult> {
    const parsed = Report.safeParse(raw);
    const rawId = z.object({ id: z.uuid() }).safeParse(raw);
    const id = rawId.success ? rawId.data.id : '00000000-0000-0000-0000-000000000000';
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(report)'}: ${issue.message}`);
      return { id, status: 'rejected', reason: `invalid report: ${issues.join('; ')}` };
    }
    const report = parsed.data;
    const revision = report.revision ?? 1;
    const bodyHash = sha256(canonicalJson(report));
    const existing = store.get(report.id);
    if (existing) {
      const revisions = existing.revisions ?? { [existing.revision ?? 1]: existing.bodyHash };
      const known = revisions[revision];
      if (known === bodyHash) {
        return { id: report.id, status: 'duplicate', receipt: existing.receipt, receivedAt: existing.receivedAt };
      }
      if (known !== undefined) {
        conflictCount++;
        return { id: report.id, status: 'rejected', reason: `report ${report.id} revision ${revision} was already received with a different body` };
      }
      if (revision < (existing.revision ?? 1)) {
        // An older revision arriving late: keep it on record, the newer one stays current.
        existing.revisions = { ...revisions, [revision]: bodyHash };
        return { id: report.id, status: 'duplicate', receipt: existing.receipt, receivedAt: existing.receivedAt };
      }
      const updated: StoredReport = {
        ...existing,
        revision,
        bodyHash,
        revisions: { ...revisions, [revision]: bodyHash },
        report,
        receivedAt: new Date().toISOString(),
      };
      store.set(report.id, updated);
      events.emit('report', updated);
      return { id: report.id, status: 'accepted', receipt: updated.receipt, receivedAt: updated.receivedAt };
    }
    const stored: StoredReport = {
      id: report.id,
      receipt: newReceipt(),
      receivedAt: new Date().toISOString(),
      revision,
      bodyHash,
      revisions: { [revision]: bodyHash },
      report,
    };
    if (report.evidence) stored.evidenceCheck = await verifyEvidence(report.evidence);
    store.set(report.id, stored);
    events.emit('report', stored);
    return { id: report.id, status: 'accepted', receipt: stored.receipt, receivedAt: stored.receivedAt };
  }

  async function handleReports(request: IncomingMessage, response: ServerResponse, log: RequestLogEntry) {
    if (options.token && request.headers.authorization !== `Bearer ${options.token}`) {
      return sendJson(response, 401, { error: 'missing or wrong access token' });
    }
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) return sendJson(response, 415, { error: 'Content-Type must be application/json' });
    let text: string;
    try {
      text = await readBody(request);
    } catch (error) {
      return sendJson(response, 413, { error: (error as Error).message });
    }
    if (options.signingSecret) {
      const problem = verifySignature(options.signingSecret, request.headers, text);
      if (problem) return sendJson(response, 401, { error: problem });
    }
    if (faults.gone) {
      faultCounts.gone++;
      return sendJson(response, 410, { error: 'this reporting channel has been shut down' });
    }
    // Faults before storing: the extension must retry, and nothing was kept.
    if (roll((faults.resetRate ?? 0) / 2)) {
      faultCounts.reset++;
      return request.socket.destroy();
    }
    if (roll(faults.error5xxRate)) {
      faultCounts.error5xx++;
      const status = [500, 502, 503][Math.floor(rng() * 3)] as number;
      return sendJson(response, status, { error: 'simulated server error' });
    }
    if (roll(faults.throttleRate)) {
      faultCounts.throttle++;
      response.setHeader('Retry-After', String(faults.retryAfterSeconds ?? 1));
      return sendJson(response, 429, { error: 'slow down' });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendJson(response, 400, { error: 'the body is not valid JSON' });
    }
    const envelope = z.object({ reports: z.array(z.unknown()).min(1) }).safeParse(body);
    if (!envelope.success) return sendJson(response, 400, { error: 'expected { "reports": [ …one or more reports… ] }' });
    const results: ReportResult[] = [];
    // One at a time, so a duplicate inside one batch is recognised as such.
    // The ids go into the request log before each report is stored, so whoever is woken by the
    // stored report (waitForReport) already finds the request that carried it.
    log.reportIds = envelope.data.reports.flatMap((raw) => {
      const id = (raw as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : [];
    });
    for (const raw of envelope.data.reports) results.push(await receive(raw));
    log.reportIds = results.map((r) => r.id);
    await persist();
    if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    // A reset after storing: the reports arrived but the acknowledgement is lost, so they come again.
    if (roll((faults.resetRate ?? 0) / 2)) {
      faultCounts.reset++;
      return request.socket.destroy();
    }
    return sendJson(response, 200, { results });
  }

  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a test server: a failure here fails the test run
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? host}`);
    const origin = request.headers.origin;
    const corsOrigin = faults.noCors ? undefined : allowedOrigin(origin);
    if (corsOrigin) {
      response.setHeader('Access-Control-Allow-Origin', corsOrigin);
      response.setHeader('Vary', 'Origin');
    }
    try {
      if (url.pathname === REPORTS_PATH) {
        if (request.method === 'OPTIONS') {
          response.writeHead(corsOrigin ? 204 : 403, {
            'Access-Control-Allow-Methods': 'POST, OPTIONS',
            'Access-Control-Allow-Headers': 'Content-Type, Authorization, Webhook-Id, Webhook-Timestamp, Webhook-Signature',
            'Access-Control-Max-Age': '600',
            // Chromium's Private Network Access preflight for loopback targets.
            'Access-Control-Allow-Private-Network': 'true',
          });
          return response.end();
        }
        if (request.method === 'POST') {
          const log: RequestLogEntry = {
            at: Date.now(),
            method: 'POST',
            path: url.pathname,
            status: 0,
            reportIds: [],
            ...(origin ? { origin } : {}),
            ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
          };
          requests.push(log);
          await handleReports(request, response, log);
          log.status = response.statusCode;
          return;
        }
        return sendJson(response, 405, { error: 'use POST' });
      }
      if (request.method !== 'GET') return sendJson(response, 405, { error: 'method not allowed' });
      if (url.pathname === '/demo') return sendHtml(response, renderDemoPage());
      if (url.pathname === '/healthz') return sendJson(response, 200, { ok: true, reports: store.size });
      return sendJson(response, 404, { error: 'not found' });
    } catch (error) {
      if (!response.headersSent) sendJson(response, 500, { error: (error as Error).message });
      else response.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    endpoint: `${url}${REPORTS_PATH}`,
    port,
    requests,
    reports: () => [...store.values()],
    conflicts: () => conflictCount,
    faults,
    faultCounts,
    waitForReport(predicate = () => true, timeoutMs = 15_000) {
      const found = [...store.values()].find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('report', listener);
          reject(new Error(`no matching report arrived within ${timeoutMs} ms (have ${store.size})`));
        }, timeoutMs);
        const listener = (stored: StoredReport) => {
          if (!predicate(stored)) return;
          clearTimeout(timer);
          events.off('report', listener);
          resolve(stored);
        };
        events.on('report', listener);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await persisting;
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

function sendHtml(response: ServerResponse, html: string) {
  response.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // Received reports are untrusted page data: no scripts at all on these pages.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
  });
  response.end(html);
}
