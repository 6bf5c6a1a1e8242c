import { FlaglineError, toFlaglineError } from './errors';
import type { SendRaw } from './messaging';
import type { MessageType, ReplyEnvelope, RequestOf, ResponseOf } from './schema/messages';

/**
 * The halves of `sendMessage` (utils/messaging.ts) that need no schema library: putting a message
 * of the contract on the wire, and reading an answer by its type alone. Only types come from the
 * contract, so a page's first screen (the popup's) imports this without zod.
 */

/** Sends one message of the contract; the reply comes back as it arrived, not yet checked. */
export async function askRaw<K extends MessageType>(send: SendRaw, type: K, payload: RequestOf<K>): Promise<unknown> {
  try {
    return await send({ type, payload });
  } catch (error) {
    throw toFlaglineError(error);
  }
}

/**
 * The answer in a reply of the extension's own background, read by its type alone — no schema
 * check — for a first screen drawn while the checks still load. This is sound only for replies
 * to `runtime.sendMessage`, which come from extension contexts alone, and whose answers the
 * background's listener has validated against the contract. `checkReply` checks the very same
 * reply right after; whoever acts on an answer uses the checked one.
 */
export function uncheckedAnswer<K extends MessageType>(raw: unknown): ResponseOf<K> {
  const reply = raw as ReplyEnvelope | null | undefined;
  if (reply?.ok === true) return reply.data as ResponseOf<K>;
  if (reply?.ok === false) throw new FlaglineError(reply.error.code, reply.error.detail);
  throw new FlaglineError('no_connection', 'no valid reply');
}
