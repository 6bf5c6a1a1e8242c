/**
 * A fake Desk API for the interface's component tests: an in-memory `fetch` that answers the
 * routes of desk/api/contract.ts and records every request (method, path, CSRF header, body).
 * Each answer is parsed with the contract's schema here too, so a fixture that drifts from the
 * contract fails the test instead of passing a shape the real server never sends.
 */
import type { z } from 'zod';
import { AuditPage, QueuePage, ReportView, SessionInfo, UserList, type ApiError } from '../../../desk/api/contract';

export const REPORT_ID = '0b0f6c1e-9a57-4d8a-9d7e-3f1f1f0c0a01';
export const OTHER_ID = '0b0f6c1e-9a57-4d8a-9d7e-3f1f1f0c0a02';

export function queueRow(id: string, overrides: Partial<z.infer<typeof QueuePage>['rows'][number]> = {}) {
  return {
    id,
    receipt: `rcpt-${id.slice(-2)}`,
    title: `Post ${id.slice(-2)}`,
    url: `https://example.com/post/${id.slice(-2)}`,
    category: 'rumor',
    subReason: null,
    channelId: 'ch1',
    channelName: '实验中学',
    receivedAt: '2026-12-05T08:30:00Z',
    state: 'new' as const,
    outcome: null,
    assignee: null,
    clusterId: `cl-${id.slice(-2)}`,
    clusterSize: 1,
    ...overrides,
  };
}

export function reportView(overrides: { category?: string; subReason?: string; text?: string; url?: string; reporter?: boolean; verified?: boolean } = {}) {
  const row = queueRow(REPORT_ID);
  return ReportView.parse({
    id: REPORT_ID,
    receipt: 'rcpt-01',
    channel: { id: 'ch1', name: '实验中学' },
    receivedAt: '2026-12-05T08:30:00Z',
    updatedAt: '2026-12-05T08:30:00Z',
    revision: 1,
    decision: { state: 'new', outcome: null, publicNote: null, internalNote: null, assignee: null, decidedAt: null, decidedBy: null },
    cluster: { id: row.clusterId, size: 2, reports: [row, queueRow(OTHER_ID, { clusterId: row.clusterId, clusterSize: 2 })] },
    report: {
      schemaVersion: 1,
      id: REPORT_ID,
      createdAt: '2026-12-05T08:29:00Z',
      category: overrides.category ?? 'rumor',
      ...(overrides.subReason ? { subReason: overrides.subReason } : {}),
      explanation: 'Fake cure spreading in the class group',
      goodFaith: { accepted: true, at: '2026-12-05T08:29:00Z' },
      target: {
        kind: 'element',
        url: overrides.url ?? 'https://example.com/post/01',
        title: 'Miracle cure',
        tagName: 'article',
        selectors: [{ type: 'CssSelector', value: 'main > article:nth-of-type(2)' }],
        text: overrides.text ?? 'Drink this and never get sick',
        links: ['https://example.com/more'],
      },
      ...(overrides.reporter ? { reporter: { name: '王老师', contact: 'wang@example.edu' } } : {}),
      client: { name: 'flagline', version: '0.1.0', locale: 'zh_CN' },
    },
    artifacts:
      overrides.subReason === 'child_exploitation'
        ? []
        : [
            {
              name: 'element.png',
              mediaType: 'image/png',
              sha256: 'a'.repeat(64),
              size: 1234,
              verified: overrides.verified ?? true,
              href: `/api/reports/${REPORT_ID}/artifacts/${'a'.repeat(64)}`,
            },
          ],
    handoffs: [],
  });
}

export interface Recorded {
  method: string;
  path: string;
  csrf: string | null;
  body: unknown;
}

type Handler = (request: Recorded) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

export function fakeDesk(options: { role?: 'admin' | 'reviewer'; signedIn?: boolean; routes?: Record<string, Handler> } = {}) {
  const requests: Recorded[] = [];
  let signedIn = options.signedIn ?? true;
  const session = SessionInfo.parse({ user: { id: 'u1', email: 'li@school.example', role: options.role ?? 'reviewer' }, csrfToken: 'csrf-123' });
  const error = (status: number, code: ApiError['code'], headers?: Record<string, string>) => ({ status, body: { error: code, code }, headers });
  const defaults: Record<string, Handler> = {
    'GET /api/session': () => (signedIn ? { status: 200, body: session } : error(401, 'unauthenticated')),
    'POST /api/session': ({ body }) => {
      const { password } = body as { password: string };
      if (password === 'slow') return error(429, 'rate_limited', { 'Retry-After': '30' });
      if (password !== 'correct horse battery') return error(401, 'unauthenticated');
      signedIn = true;
      return { status: 200, body: session };
    },
    'DELETE /api/session': () => {
      signedIn = false;
      return { status: 204 };
    },
    'GET /api/channels': () => ({ status: 200, body: { channels: [] } }),
    'GET /api/reports': () => ({ status: 200, body: QueuePage.parse({ rows: [queueRow(REPORT_ID)], nextCursor: null }) }),
    'GET /api/reports/:id': () => ({ status: 200, body: reportView() }),
    'POST /api/reports/:id/decision': () => ({ status: 200, body: reportView().decision }),
    'GET /api/assignees': () => ({ status: 200, body: { users: [{ id: 'u1', email: 'li@school.example' }] } }),
    'GET /api/users': () => ({ status: 200, body: UserList.parse({ users: [] }) }),
    'GET /api/audit': () => ({ status: 200, body: AuditPage.parse({ entries: [], nextCursor: null }) }),
  };
  const routes = { ...defaults, ...options.routes };

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://desk.test');
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    const recorded: Recorded = {
      method,
      path: url.pathname + url.search,
      csrf: headers.get('x-csrf-token'),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(recorded);
    const pattern =
      url.pathname === '/api/assignees'
        ? url.pathname
        : url.pathname.replace(/^\/api\/reports\/[^/]+/, (whole) => (whole === '/api/reports' ? whole : '/api/reports/:id'));
    const handler = routes[`${method} ${url.pathname}`] ?? routes[`${method} ${pattern}`];
    const answer = handler?.(recorded) ?? error(404, 'not_found');
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json', ...answer.headers },
    });
  };
  return { fetch, requests };
}
