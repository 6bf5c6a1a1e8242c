import { z } from 'zod';
import type { SessionArea } from '../drafts';
import type { MessageSender } from '../messaging';
import { FlaglineError } from '../errors';

/**
 * Which picker injections exist, kept in `storage.session` (not readable by content scripts;
 * survives a stopped service worker). A pick is accepted only from the tab, frame and document
 * the background injected into, with that injection's one-time token — and only once.
 */
export const Injection = z.object({
  token: z.uuid(),
  tabId: z.number().int(),
  frameId: z.number().int(),
  /** `documentId` of the injected document (Chromium ≥ 106), when the browser reports it. */
  documentId: z.string().optional(),
  startedAt: z.number(),
  /** Started for a category whose evidence is metadata only: no pixels are captured. */
  metadataOnly: z.boolean().default(false),
});
export type Injection = z.infer<typeof Injection>;

const key = (tabId: number) => `picker:${tabId}`;
/** A picker left open longer than this is stale. */
export const INJECTION_TTL_MS = 30 * 60_000;

export function createInjectionRegistry(area: SessionArea, clock: () => number) {
  /**
   * What this worker itself registered, so a pick is checked without a storage round trip
   * before its screenshot. `storage.session` stays the record: it is written first and the
   * entry is removed from both on a claim; after a worker restart this map is empty and the
   * stored entry is read instead.
   */
  const known = new Map<number, Injection>();
  // Claims run one at a time, so two racing picks cannot both see an unclaimed injection.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    // The caller gets `run` and its failure; the queue only has to go on after it.
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    async put(injection: Injection) {
      known.delete(injection.tabId);
      await area.set({ [key(injection.tabId)]: injection });
      known.set(injection.tabId, injection);
    },
    async get(tabId: number): Promise<Injection | undefined> {
      const cached = known.get(tabId);
      if (cached) return cached;
      const parsed = Injection.safeParse((await area.get(key(tabId)))[key(tabId)]);
      return parsed.success ? parsed.data : undefined;
    },
    /**
     * Checks a picker message's sender and token against the injection and, when `consume`,
     * removes it so that a second pick from the same injection is refused.
     */
    claim(sender: MessageSender, token: string, consume: boolean): Promise<Injection> {
      return serial(() => this.claimNow(sender, token, consume));
    },
    async claimNow(sender: MessageSender, token: string, consume: boolean): Promise<Injection> {
      const tabId = sender.tab?.id;
      if (typeof tabId !== 'number') throw new FlaglineError('forbidden_sender', 'no tab');
      const injection = await this.get(tabId);
      if (!injection) throw new FlaglineError('forbidden_sender', 'no picker in this tab');
      const sameDocument = !injection.documentId || !sender.documentId || injection.documentId === sender.documentId;
      if (injection.token !== token || sender.frameId !== injection.frameId || !sameDocument) {
        throw new FlaglineError('forbidden_sender', 'not the injected picker');
      }
      if (clock() - injection.startedAt > INJECTION_TTL_MS) {
        known.delete(tabId);
        await area.remove(key(tabId));
        throw new FlaglineError('forbidden_sender', 'picker expired');
      }
      if (consume) {
        known.delete(tabId);
        await area.remove(key(tabId));
      }
      return injection;
    },
  };
}
export type InjectionRegistry = ReturnType<typeof createInjectionRegistry>;
