import {
  MESSAGE_CONTRACT,
  MessageEnvelope,
  ReplyEnvelope,
  type MessageType,
  type ParsedRequestOf,
  type RequestOf,
  type ResponseOf,
  type SenderKind,
} from './schema/messages';
import { FlaglineError, toFlaglineError } from './errors';
import { askRaw } from './message-reply';

/**
 * Typed messaging over `runtime.sendMessage`, validated with zod on both ends.
 *
 * Written here rather than taken from @webext-core/messaging: the zod schemas in
 * utils/schema/messages.ts are the contract, and this layer's job is to validate every
 * message and its sender in one handler map — which that library leaves to each handler and
 * would make us restate the contract as a second TypeScript-only protocol map.
 */

/** The subset of a `runtime.MessageSender` we rely on. */
export interface MessageSender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; windowId?: number };
  frameId?: number;
  documentId?: string;
}

export type HandlerMap = {
  [K in MessageType]: (payload: ParsedRequestOf<K>, sender: MessageSender) => Promise<RequestOfResponse<K>>;
};
/** Handlers return the response's input type; the listener parses it into the output type. */
type RequestOfResponse<K extends MessageType> = import('zod').input<(typeof MESSAGE_CONTRACT)[K]['response']>;

export type SendRaw = (message: unknown) => Promise<unknown>;

export async function sendMessage<K extends MessageType>(send: SendRaw, type: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  return checkReply(type, await askRaw(send, type, payload));
}

/** The check of a reply to `type`: its envelope, then its answer against the contract. */
export function checkReply<K extends MessageType>(type: K, raw: unknown): ResponseOf<K> {
  const reply = ReplyEnvelope.safeParse(raw);
  if (!reply.success) throw new FlaglineError('no_connection', 'no valid reply');
  if (!reply.data.ok) throw new FlaglineError(reply.data.error.code, reply.data.error.detail);
  return MESSAGE_CONTRACT[type].response.parse(reply.data.data) as ResponseOf<K>;
}

export interface ListenerOptions {
  /** `runtime.id` of this extension. */
  extensionId: string;
  /** `runtime.getURL('')`, e.g. `chrome-extension://<id>/`. */
  extensionOrigin: string;
  /** Called with rejected messages, for the console; never with secrets. */
  onRejected?: (reason: string, sender: MessageSender) => void;
}

export function isSenderAllowed(kind: SenderKind, sender: MessageSender, options: ListenerOptions): boolean {
  if (sender.id !== options.extensionId) return false;
  switch (kind) {
    case 'extension-page':
      // Our own pages have our origin; a content script's sender.url is the page's URL.
      return typeof sender.url === 'string' && sender.url.startsWith(options.extensionOrigin);
    case 'picker':
      // A content script in a tab's frame; which injection it is, the handler checks against
      // the registry (utils/picker/registry.ts). Extension pages are not pickers.
      return (
        typeof sender.tab?.id === 'number' &&
        typeof sender.frameId === 'number' &&
        !(typeof sender.url === 'string' && sender.url.startsWith(options.extensionOrigin))
      );
  }
}

/**
 * The background's single `runtime.onMessage` listener: looks up the handler for the message
 * type, checks the sender, validates the request, runs the handler and validates its answer.
 * Always answers with a ReplyEnvelope, so errors reach the caller as typed codes.
 */
export function createMessageListener(handlers: HandlerMap, options: ListenerOptions) {
  return async (message: unknown, sender: MessageSender): Promise<ReplyEnvelope> => {
    try {
      const envelope = MessageEnvelope.safeParse(message);
      if (!envelope.success) throw new FlaglineError('invalid_message', 'unknown message');
      const type = envelope.data.type;
      const contract = MESSAGE_CONTRACT[type];
      if (!isSenderAllowed(contract.from, sender, options)) throw new FlaglineError('forbidden_sender', type);
      const payload = contract.request.safeParse(envelope.data.payload);
      if (!payload.success) throw new FlaglineError('invalid_message', `${type}: ${payload.error.issues[0]?.path.join('.') ?? ''}`);
      const handler = handlers[type] as (payload: unknown, sender: MessageSender) => Promise<unknown>;
      const data = contract.response.parse(await handler(payload.data, sender));
      return { ok: true, data };
    } catch (error) {
      const typed = toFlaglineError(error);
      if (typed.code === 'invalid_message' || typed.code === 'forbidden_sender') options.onRejected?.(typed.message, sender);
      return { ok: false, error: { code: typed.code, detail: typed.detail } };
    }
  };
}
