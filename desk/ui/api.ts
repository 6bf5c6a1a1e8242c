/**
 * The one client of the reviewers' API (desk/api/contract.ts): every answer is parsed with the
 * contract's zod schema, every non-GET carries the session's CSRF token, every failure is an
 * `ApiFailure` whose `code` the interface translates. Takes `fetch` as a parameter so the
 * component tests drive it with a fake server.
 */
import { z } from 'zod';
import {
  API_PREFIX,
  ApiError,
  AssigneeList,
  AuditPage,
  ChannelList,
  ChannelSecret,
  ChannelSummary,
  ClusterAnswer,
  CSRF_HEADER,
  Decision,
  type EXPORT_FORMATS,
  Handoff,
  NotifierList,
  Notifier,
  NotifierTestResult,
  QueuePage,
  ReportView,
  SessionInfo,
  SetupState,
  UserList,
  UserSummary,
  type CreateChannelRequest,
  type CreateNotifierRequest,
  type CreateUserRequest,
  type DecisionRequest,
  type HandoffRequest,
  type MergeRequest,
  type QueueQuery,
  type SetupRequest,
  type SignInRequest,
  type UpdateUserRequest,
} from '../api/contract';

/** What the client sends: the contract's request schemas, as the server will parse them. */
type Input<T extends z.ZodType> = z.input<T>;

export type ApiErrorCode = ApiError['code'] | 'network' | 'unexpected';

export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly status: number,
    message: string,
    /** Seconds, from `Retry-After` on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

type Fetch = typeof fetch;
type Body = Record<string, unknown>;

export type QueueFilters = Partial<Omit<QueueQuery, 'limit' | 'cursor'>>;

const Empty = z.unknown();

export interface ApiHooks {
  /** A call other than signing in found the session gone (expired, signed out elsewhere). */
  onSessionLost?: () => void;
}

export function createApi(fetchImpl: Fetch = (...args) => fetch(...args), hooks: ApiHooks = {}) {
  let csrfToken: string | undefined;

  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: Body): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
    let response: Response;
    try {
      response = await fetchImpl(`${API_PREFIX}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      throw new ApiFailure('network', 0, (error as Error).message);
    }
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's error page): handled as unexpected below.
    }
    if (!response.ok) {
      const error = ApiError.safeParse(json);
      const retryAfter = Number(response.headers.get('Retry-After') ?? '');
      if (response.status === 401 && path !== '/session' && path !== '/setup') hooks.onSessionLost?.();
      throw new ApiFailure(
        error.success ? error.data.code : 'unexpected',
        response.status,
        error.success ? error.data.error : `HTTP ${response.status}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiFailure('unexpected', response.status, `the answer to ${method} ${path} does not match the contract`);
    return parsed.data;
  }

  const remember = (session: SessionInfo) => {
    csrfToken = session.csrfToken;
    return session;
  };
  const id = encodeURIComponent;

  return {
    session: () => call('GET', '/session', SessionInfo).then(remember),
    signIn: (email: string, password: string) =>
      call('POST', '/session', SessionInfo, { email, password } satisfies Input<typeof SignInRequest>).then(remember),
    signOut: () =>
      call('DELETE', '/session', Empty).finally(() => {
        csrfToken = undefined;
      }),
    setupState: () => call('GET', '/setup', SetupState),
    setup: (token: string, email: string, password: string) =>
      call('POST', '/setup', SessionInfo, { token, email, password } satisfies Input<typeof SetupRequest>).then(remember),

    queue: (filters: QueueFilters, cursor?: string) => call('GET', `/reports?${queueParams(filters, cursor)}`, QueuePage),
    report: (reportId: string) => call('GET', `/reports/${id(reportId)}`, ReportView),
    decide: (reportId: string, decision: DecisionRequest) => call('POST', `/reports/${id(reportId)}/decision`, Decision, { ...decision }),
    assignees: () => call('GET', '/assignees', AssigneeList),
    merge: (clusterIds: string[]) => call('POST', '/clusters/merge', ClusterAnswer, { clusterIds } satisfies Input<typeof MergeRequest>),
    split: (reportId: string) => call('POST', `/reports/${id(reportId)}/split`, ClusterAnswer, {}),
    recordHandoff: (reportId: string, channelId: string, caseNumber: string, note: string) =>
      call('POST', `/reports/${id(reportId)}/handoffs`, Handoff, {
        channelId,
        ...(caseNumber.trim() ? { caseNumber } : {}),
        ...(note.trim() ? { note } : {}),
      } satisfies Input<typeof HandoffRequest>),

    users: () => call('GET', '/users', UserList),
    createUser: (request: Input<typeof CreateUserRequest>) => call('POST', '/users', UserSummary, request),
    updateUser: (userId: string, change: Input<typeof UpdateUserRequest>) => call('PATCH', `/users/${id(userId)}`, UserSummary, change),

    channels: () => call('GET', '/channels', ChannelList),
    createChannel: (request: Input<typeof CreateChannelRequest>) => call('POST', '/channels', ChannelSecret, request),
    revokeChannel: (channelId: string) => call('POST', `/channels/${id(channelId)}/revoke`, ChannelSummary, {}),
    rotateChannel: (channelId: string) => call('POST', `/channels/${id(channelId)}/rotate`, ChannelSecret, {}),

    notifiers: () => call('GET', '/notifiers', NotifierList),
    createNotifier: (request: Input<typeof CreateNotifierRequest>) => call('POST', '/notifiers', Notifier, request),
    deleteNotifier: (notifierId: string) => call('DELETE', `/notifiers/${id(notifierId)}`, Empty),
    testNotifier: (notifierId: string) => call('POST', `/notifiers/${id(notifierId)}/test`, NotifierTestResult, {}),

    audit: (cursor?: string) => call('GET', `/audit${cursor ? `?cursor=${id(cursor)}` : ''}`, AuditPage),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The queue's filters as query parameters (also the export links'): empty values left out. */
export function queueParams(filters: QueueFilters, cursor?: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (typeof value === 'string' && value.trim() !== '') params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** Where the handoff packet (a ZIP) and the exports download from: plain same-origin links. */
export const packetHref = (reportId: string, channelId: string) =>
  `${API_PREFIX}/reports/${encodeURIComponent(reportId)}/handoff-packet?channel=${encodeURIComponent(channelId)}`;
export const exportHref = (format: (typeof EXPORT_FORMATS)[number], filters: QueueFilters) => `${API_PREFIX}/export.${format}?${queueParams(filters)}`;
