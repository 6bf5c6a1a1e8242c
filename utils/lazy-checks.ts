import type { SendRaw } from './messaging';
import type { MessageType, RequestOf, ResponseOf } from './schema/messages';

/**
 * The popup's zod checks (utils/checks.ts), loaded on first use: the popup starts loading them at
 * once, in parallel with its first screen, which then needs no schema library. Where a page loads
 * the schemas anyway (the report window, the workspace), this import resolves to modules already
 * there.
 */
export const loadChecks = () => import('./checks');

/** `sendMessage`, checked both ways, for modules that must not import the schemas up front. */
export async function sendChecked<K extends MessageType>(send: SendRaw, type: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  return (await loadChecks()).sendMessage(send, type, payload);
}
