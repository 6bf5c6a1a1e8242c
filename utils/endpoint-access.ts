import type { FlaglineDB } from './db';

/**
 * Host permission for exactly the endpoint's origin, as an optional permission the user grants
 * with a click (manifest `optional_host_permissions`). Chromium match patterns carry no port, so
 * the pattern covers the host on any port — the narrowest a match pattern can be.
 */
export function originPattern(endpointUrl: string): string {
  const url = new URL(endpointUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

export const endpointOrigin = (endpointUrl: string) => new URL(endpointUrl).origin;

export interface PermissionsApi {
  request(permissions: { origins: string[] } | { permissions: Array<'notifications'> }): Promise<boolean>;
  contains(permissions: { origins: string[] }): Promise<boolean>;
}

/**
 * Must be called straight from the user's click (no await before it): browsers only show the
 * permission prompt during a user gesture.
 */
export function requestEndpointAccess(permissions: PermissionsApi, endpointUrl: string): Promise<boolean> {
  return permissions.request({ origins: [originPattern(endpointUrl)] });
}

/** Whether reports to this endpoint are waiting because it refused CORS (the outbox probed it). */
export async function corsBlocked(db: FlaglineDB, endpointUrl: string): Promise<boolean> {
  const waiting = await db.reports.where('status').equals('waiting').toArray();
  return waiting.some((r) => r.lastError?.kind === 'cors' && (r.endpoint === undefined || r.endpoint === endpointUrl));
}
