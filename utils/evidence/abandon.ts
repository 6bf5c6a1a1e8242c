import { z } from 'zod';
import type { FlaglineDB } from '../db';
import type { SessionArea } from '../drafts';
import type { Clock } from '../time';

/**
 * Picks the user walked away from. A capture (screenshots, crop, text) is saved before its report
 * window opens, and only a submit moved it into a report; a window closed unsent left it in
 * IndexedDB for ever, unlisted. Now the window's closing deletes it, and every worker start
 * sweeps what a dead worker or a closed browser missed.
 */
export const ABANDONED_AFTER_MS = 30 * 60_000;
/**
 * Between a window's closing and the deletion: a submit sent just before the user closed the
 * window is then committed (it deletes the capture itself), never raced.
 */
const CLOSE_GRACE_MS = 3_000;

const KEY = 'reportWindows';
/** Open report windows (window id → capture id), in `storage.session`: survives a stopped worker. */
const OpenWindows = z.record(z.string(), z.string());

export interface AbandonDeps {
  db: FlaglineDB;
  area: SessionArea;
  /** Whether the browser still has this window open. */
  windowExists: (windowId: number) => Promise<boolean>;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
}

/** Deletes a capture and its artifacts together. */
async function deleteCapture(db: FlaglineDB, captureId: string): Promise<void> {
  await db.transaction('rw', db.captures, db.artifacts, async () => {
    await db.artifacts.where('captureId').equals(captureId).delete();
    await db.captures.delete(captureId);
  });
}

export function reportWindows(deps: AbandonDeps) {
  const read = async () => {
    const parsed = OpenWindows.safeParse((await deps.area.get(KEY))[KEY]);
    return parsed.success ? parsed.data : {};
  };
  return {
    /** The report window for `captureId` is open. */
    async opened(windowId: number, captureId: string): Promise<void> {
      await deps.area.set({ [KEY]: { ...(await read()), [windowId]: captureId } });
    },
    /** A window closed: if it was a report window, its capture goes (a submitted one is gone already). */
    async closed(windowId: number): Promise<void> {
      const open = await read();
      const captureId = open[windowId];
      if (!captureId) return;
      delete open[windowId];
      await deps.area.set({ [KEY]: open });
      await deps.sleep(CLOSE_GRACE_MS);
      await deleteCapture(deps.db, captureId);
    },
    /**
     * At worker start: deletes the captures of report windows that closed meanwhile, and every
     * capture older than {@link ABANDONED_AFTER_MS} that no open report window shows.
     */
    async sweep(): Promise<number> {
      const open = await read();
      const shown = new Set<string>();
      const gone: string[] = [];
      for (const [windowId, captureId] of Object.entries(open)) {
        if (await deps.windowExists(Number(windowId))) shown.add(captureId);
        else {
          gone.push(captureId);
          delete open[windowId];
        }
      }
      if (gone.length) await deps.area.set({ [KEY]: open });
      const cutoff = deps.clock() - ABANDONED_AFTER_MS;
      const stale = await deps.db.captures
        .where('createdAt')
        .below(cutoff)
        .filter((capture) => !shown.has(capture.id))
        .primaryKeys();
      const doomed = [...new Set([...gone, ...stale])];
      for (const captureId of doomed) await deleteCapture(deps.db, captureId);
      return doomed.length;
    },
  };
}
