import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ABANDONED_AFTER_MS, reportWindows } from '@/utils/evidence/abandon';
import type { CaptureRecord } from '@/utils/evidence/store';
import { freshDb, testClock } from './helpers';

/** Issue 20, finding 5: a pick nobody submitted does not keep its evidence. */

function setup() {
  fakeBrowser.reset();
  const db = freshDb();
  const clock = testClock();
  const open = new Set<number>();
  const windows = reportWindows({
    db,
    area: fakeBrowser.storage.session,
    windowExists: async (id) => open.has(id),
    clock,
    sleep: async () => undefined,
  });
  const capture = async (id: string, createdAt = clock()) => {
    const record: CaptureRecord = {
      id,
      tabId: 1,
      createdAt,
      target: { kind: 'element', url: 'https://forum.example/t/1', title: 'Thread' },
      metadataOnly: false,
      unavailable: [],
    };
    await db.captures.add(record);
    const bytes = new Uint8Array([1, 2, 3]);
    await db.artifacts.bulkAdd(
      (['viewport.png', 'element.png', 'text.txt'] as const).map((name) => ({
        captureId: id,
        name,
        mediaType: name === 'text.txt' ? ('text/plain;charset=utf-8' as const) : ('image/png' as const),
        bytes,
        sha256: '0'.repeat(64),
        size: 3,
        capturedAt: createdAt,
      })),
    );
  };
  const left = async () => ({
    captures: (await db.captures.toCollection().primaryKeys()).sort(),
    artifacts: new Set((await db.artifacts.toArray()).map((a) => a.captureId)),
  });
  return { db, clock, open, windows, capture, left };
}

describe('abandoned picks', () => {
  it('closing the report window unsent deletes its screenshots, crop and text; other picks stay', async () => {
    const { open, windows, capture, left } = setup();
    await capture('cap-1');
    await capture('cap-2');
    open.add(10).add(11);
    await windows.opened(10, 'cap-1');
    await windows.opened(11, 'cap-2');
    open.delete(10);
    await windows.closed(10);
    expect(await left()).toEqual({ captures: ['cap-2'], artifacts: new Set(['cap-2']) });
    // A window that was never a report window changes nothing.
    await windows.closed(99);
    expect((await left()).captures).toEqual(['cap-2']);
  });

  it('at worker start, sweeps picks older than 30 minutes that no open window shows, and those whose window closed meanwhile', async () => {
    const { clock, open, windows, capture, left } = setup();
    await capture('old-orphan', clock() - ABANDONED_AFTER_MS - 1);
    await capture('old-but-open', clock() - ABANDONED_AFTER_MS - 1);
    await capture('recent', clock() - 60_000);
    await capture('recent-window-closed', clock() - 60_000);
    open.add(20);
    await windows.opened(20, 'old-but-open');
    await windows.opened(21, 'recent-window-closed'); // closed while no worker was running
    expect(await windows.sweep()).toBe(2);
    expect(await left()).toEqual({ captures: ['old-but-open', 'recent'], artifacts: new Set(['old-but-open', 'recent']) });
  });
});
