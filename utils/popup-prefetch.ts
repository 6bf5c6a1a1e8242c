import type { SendRaw } from './messaging';
import type { MessageType, RequestOf } from './schema/messages';

/** A message as `sendMessage` puts it on the wire (utils/messaging.ts). */
export interface Envelope<K extends MessageType = MessageType> {
  type: K;
  payload: RequestOf<K>;
}

/**
 * `send`, with the popup's first questions already asked: each message of `first` goes to the
 * background now, while the popup's code (Preact, the form) still loads; the first later send of
 * the same message gets that answer instead of asking again. Nothing is validated here — the
 * popup checks the answer against the contract (utils/ui/popup.ts `askFirst`). Only types are
 * imported, so this costs the popup's tiny entry script nothing.
 */
export function prefetchingSend(send: SendRaw, first: readonly Envelope[]): SendRaw {
  const started = new Map<string, Promise<unknown>>();
  for (const message of first) {
    const answer = send(message);
    // Whoever takes the answer sees a failure; unclaimed, it is not an unhandled rejection.
    answer.catch(() => undefined);
    started.set(JSON.stringify(message), answer);
  }
  return (message) => {
    const key = JSON.stringify(message);
    const early = started.get(key);
    if (!early) return send(message);
    started.delete(key);
    return early;
  };
}
