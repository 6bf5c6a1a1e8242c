import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '@/utils/background/handlers';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { recordCapture, submitCapturedReport, type CaptureDeps } from '@/utils/evidence/capture';
import { base64ToBytes, bytesToBase64, manifestHash, sha256Hex, verifyEvidence } from '@/utils/evidence/hash';
import { CAPTURE_SPACING_MS, createScreenshotQueue, cropRect } from '@/utils/evidence/screenshot';
import { discardImageArtifacts, loadArtifacts } from '@/utils/evidence/store';
import { captureInputForMenu } from '@/utils/picker/context-menu';
import { createInjectionRegistry } from '@/utils/picker/registry';
import { PICKER_STARTED } from '@/utils/picker/probe';
import type { ReportFactory } from '@/utils/reports';
import type { PickerCapture } from '@/utils/schema/capture';
import { Report } from '@/utils/schema/report';
import type { TabSource } from '@/utils/tabs';
import { cachedManagedStorageReader, lastKnownPolicy, soonPolicyReader } from '@/utils/policy';
import { screenshotPermission } from '@/utils/settings';
import { freshDb, testClock } from './helpers';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const CROP = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 9, 9]);
/** The same answer whether asked at once or after the full read. */
const permission = (allowed: boolean) => ({ now: Promise.resolve(allowed), confirmed: Promise.resolve(allowed) });
const dataUrl = (bytes: Uint8Array) => `data:image/png;base64,${bytesToBase64(bytes)}`;

let ids = 0;
const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

function tabsAt(record: { url?: string; title?: string; windowId?: number }): TabSource & { record: typeof record } {
  return { record, get: async () => record, fileSchemeAllowed: async () => false };
}

function deps(overrides: Partial<CaptureDeps> = {}) {
  const clock = testClock();
  const captureVisibleTab = vi.fn(async () => dataUrl(PNG));
  const base: CaptureDeps = {
    db: freshDb(),
    tabs: tabsAt({ url: 'https://feed.example/home', title: 'Feed', windowId: 3 }),
    screenshots: createScreenshotQueue({ captureVisibleTab, now: clock, sleep: async (ms) => clock.advance(ms) }),
    crop: vi.fn(async () => CROP),
    clock,
    newId,
    allowScreenshots: () => permission(true),
  };
  return { ...base, ...overrides, captureVisibleTab };
}

const factory = (clock: () => number = testClock()): ReportFactory => ({
  clock,
  newId,
  categories: BUILT_IN_CATEGORIES,
  client: { version: '1', locale: 'en' },
});

const element = {
  target: { kind: 'element' as const, text: '喝盐水可以预防所有病毒', selectors: [{ type: 'CssSelector' as const, value: 'article:nth-child(2)' }] },
  box: { x: 10, y: 20, width: 100, height: 50 },
  devicePixelRatio: 2,
  text: '喝盐水可以预防所有病毒',
};

describe('recording a capture', () => {
  it('stores target, text, viewport screenshot and crop with their hashes, URL and title from the tab', async () => {
    const d = deps();
    const capture = await recordCapture(d, 5, element, { metadataOnly: false });
    expect(capture.target).toMatchObject({ kind: 'element', url: 'https://feed.example/home', title: 'Feed' });
    expect(d.crop).toHaveBeenCalledWith(PNG, element.box, 2);
    const rows = await loadArtifacts(d.db, capture.id);
    expect(rows.map((r) => r.name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);
    for (const row of rows) expect(row.sha256).toBe(await sha256Hex(row.bytes));
    expect(new TextDecoder().decode(rows.find((r) => r.name === 'text.txt')!.bytes)).toBe(element.text);
    expect((await d.db.captures.get(capture.id))?.unavailable).toEqual([]);
  });

  it('captures no pixels at all for a metadata-only category, and says why', async () => {
    const d = deps();
    const capture = await recordCapture(d, 5, element, { metadataOnly: true });
    expect(d.captureVisibleTab).not.toHaveBeenCalled();
    expect((await loadArtifacts(d.db, capture.id)).map((r) => r.name)).toEqual(['text.txt']);
    expect((await d.db.captures.get(capture.id))?.unavailable).toEqual([
      { name: 'viewport.png', reason: 'category-policy' },
      { name: 'element.png', reason: 'category-policy' },
    ]);
  });

  it('records why when screenshots are off or the page is restricted', async () => {
    const off = deps({ allowScreenshots: () => permission(false) });
    const a = await recordCapture(off, 5, element, { metadataOnly: false });
    expect((await off.db.captures.get(a.id))?.unavailable[0]).toEqual({ name: 'viewport.png', reason: 'screenshots-disabled' });

    const clock = testClock();
    const restricted = deps({
      screenshots: createScreenshotQueue({
        captureVisibleTab: async () => {
          throw new Error('Cannot access contents of url "https://chromewebstore.google.com/". Extension manifest must request permission');
        },
        now: clock,
        sleep: async () => undefined,
      }),
    });
    const b = await recordCapture(restricted, 5, element, { metadataOnly: false });
    expect((await restricted.db.captures.get(b.id))?.unavailable[0]).toMatchObject({ name: 'viewport.png', reason: 'restricted-page' });
    expect((await loadArtifacts(restricted.db, b.id)).map((r) => r.name)).toEqual(['text.txt']);
  });

  it('screenshots that cannot be stored (storage full, say) are recorded as missing, with no part of them kept', async () => {
    for (const failing of ['viewport.png', 'element.png']) {
      const d = deps();
      const full = () => Promise.reject(new DOMException('storage full', 'QuotaExceededError'));
      const add = d.db.artifacts.add.bind(d.db.artifacts);
      const bulkAdd = d.db.artifacts.bulkAdd.bind(d.db.artifacts);
      vi.spyOn(d.db.artifacts, 'add').mockImplementation(((row: { name: string }) => (row.name === failing ? full() : add(row as never))) as never);
      vi.spyOn(d.db.artifacts, 'bulkAdd').mockImplementation(((rows: Array<{ name: string }>) =>
        rows.some((row) => row.name === failing) ? full() : bulkAdd(rows as never)) as never);
      const capture = await recordCapture(d, 5, element, { metadataOnly: false });
      expect((await loadArtifacts(d.db, capture.id)).map((r) => r.name)).toEqual(['text.txt']);
      const stored = await d.db.captures.get(capture.id);
      expect(stored?.unavailable.map((u) => [u.name, u.reason])).toEqual([
        ['viewport.png', 'capture-failed'],
        ['element.png', 'capture-failed'],
      ]);
      expect(stored?.savedAt).toBeTypeOf('number');
      expect(stored?.target.text).toBe(element.text);
    }
  });

  it('screenshots the window the pick came from while the tab record is still being read', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const record = { url: 'https://feed.example/home', title: 'Feed', windowId: 3 };
    const d = deps({ tabs: { get: async () => (await gate, record), fileSchemeAllowed: async () => false } });
    const pending = recordCapture(d, 5, element, { metadataOnly: false, windowId: 7 });
    await vi.waitFor(() => expect(d.captureVisibleTab).toHaveBeenCalledWith(7));
    release();
    const capture = await pending;
    expect(capture.target).toMatchObject({ url: record.url, title: record.title });
    expect((await loadArtifacts(d.db, capture.id)).map((r) => r.name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);
  });

  it('writes nothing before the screenshot is in, then the capture and every artifact together', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const d = deps();
    d.screenshots = createScreenshotQueue({ captureVisibleTab: async () => (await gate, dataUrl(PNG)), now: testClock(), sleep: async () => undefined });
    const transaction = vi.spyOn(d.db, 'transaction');
    const pending = recordCapture(d, 5, element, { metadataOnly: false });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transaction).not.toHaveBeenCalled();
    release();
    const capture = await pending;
    expect(transaction).toHaveBeenCalledTimes(1);
    expect((await loadArtifacts(d.db, capture.id)).map((r) => r.name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);
    expect((await d.db.captures.get(capture.id))?.savedAt).toBeTypeOf('number');
  });

  it('takes the screenshot again, after the capture spacing, when it still shows the picker overlay', async () => {
    const stale = Uint8Array.from([...PNG, 0xee]);
    const clock = testClock();
    const shots = [stale, PNG];
    const captureVisibleTab = vi.fn(async () => dataUrl(shots.shift() ?? PNG));
    const overlayShows = vi.fn(async (png: Uint8Array) => png.length === stale.length);
    const d = deps({
      clock,
      screenshots: createScreenshotQueue({ captureVisibleTab, now: clock, sleep: async (ms) => clock.advance(ms) }),
      overlayShows,
    });
    const probe = { x: 400, y: 13, width: 200, height: 4 };
    const started = clock();
    const capture = await recordCapture(d, 5, { ...element, overlayProbe: probe }, { metadataOnly: false, windowId: 3 });
    expect(overlayShows).toHaveBeenCalledWith(stale, probe, 2);
    expect(captureVisibleTab).toHaveBeenCalledTimes(2);
    expect(clock() - started).toBeGreaterThanOrEqual(CAPTURE_SPACING_MS);
    const viewport = (await loadArtifacts(d.db, capture.id)).find((row) => row.name === 'viewport.png');
    expect(viewport?.bytes).toEqual(PNG);
    expect(d.crop).toHaveBeenCalledWith(PNG, element.box, 2);
  });

  it('takes it again once at most, and not at all without a probe (a text selection never showed the overlay)', async () => {
    const clock = testClock();
    const captureVisibleTab = vi.fn(async () => dataUrl(PNG));
    const overlayShows = vi.fn(async () => true);
    const d = deps({ clock, screenshots: createScreenshotQueue({ captureVisibleTab, now: clock, sleep: async (ms) => clock.advance(ms) }), overlayShows });
    await recordCapture(d, 5, { ...element, overlayProbe: { x: 0, y: 13, width: 10, height: 4 } }, { metadataOnly: false, windowId: 3 });
    expect(captureVisibleTab).toHaveBeenCalledTimes(2);
    await recordCapture(d, 5, element, { metadataOnly: false, windowId: 3 });
    expect(captureVisibleTab).toHaveBeenCalledTimes(3);
    expect(overlayShows).toHaveBeenCalledTimes(1);
  });

  it('takes the screenshot on the quick answer while the policy read is slow: the capture is shown at once, the screenshot stored only once the policy allows it', async () => {
    let confirm: (allowed: boolean) => void = () => undefined;
    const d = deps({ allowScreenshots: () => ({ now: Promise.resolve(true), confirmed: new Promise<boolean>((resolve) => (confirm = resolve)) }) });
    const shown = vi.fn();
    const recording = recordCapture(d, 5, element, { metadataOnly: false, windowId: 3, onRecorded: shown });
    await vi.waitFor(() => expect(shown).toHaveBeenCalledTimes(1));
    expect(d.captureVisibleTab).toHaveBeenCalledTimes(1);
    const early = shown.mock.calls[0]![0] as { id: string; screenshotPending?: boolean };
    expect(early.screenshotPending).toBe(true);
    // The form can show the capture and its text; no pixels are in IndexedDB yet.
    expect(await d.db.captures.get(early.id)).toMatchObject({ screenshotPending: true, target: { url: 'https://feed.example/home' } });
    expect((await loadArtifacts(d.db, early.id)).map((r) => r.name)).toEqual(['text.txt']);
    confirm(true);
    const capture = await recording;
    expect(capture.id).toBe(early.id);
    expect(shown).toHaveBeenCalledTimes(1);
    expect((await loadArtifacts(d.db, capture.id)).map((r) => r.name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);
    const stored = await d.db.captures.get(capture.id);
    expect(stored?.screenshotPending).toBeUndefined();
    expect(stored?.savedAt).toBeTypeOf('number');
  });

  it('a slow policy that forbids screenshots: the form shows the capture at once, the screenshot is dropped without ever being stored', async () => {
    let confirm: (allowed: boolean) => void = () => undefined;
    const d = deps({ allowScreenshots: () => ({ now: Promise.resolve(true), confirmed: new Promise<boolean>((resolve) => (confirm = resolve)) }) });
    const stored: string[] = [];
    d.db.artifacts.hook('creating', (_key, row) => void stored.push(row.name));
    const shown = vi.fn();
    const recording = recordCapture(d, 5, element, { metadataOnly: false, windowId: 3, onRecorded: shown });
    await vi.waitFor(() => expect(shown).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    confirm(false);
    const capture = await recording;
    expect(stored).toEqual(['text.txt']);
    expect(await d.db.captures.get(capture.id)).toMatchObject({
      unavailable: [
        { name: 'viewport.png', reason: 'screenshots-disabled' },
        { name: 'element.png', reason: 'screenshots-disabled' },
      ],
    });
    expect((await d.db.captures.get(capture.id))?.screenshotPending).toBeUndefined();
    // The wait above may take up to 10 s on a loaded machine: the test may too.
  }, 15_000);

  it('a capture deleted while its screenshot waited for the policy (its window closed, the pick abandoned) is not brought back', async () => {
    let confirm: (allowed: boolean) => void = () => undefined;
    const d = deps({ allowScreenshots: () => ({ now: Promise.resolve(true), confirmed: new Promise<boolean>((resolve) => (confirm = resolve)) }) });
    const shown = vi.fn();
    const recording = recordCapture(d, 5, element, { metadataOnly: false, windowId: 3, onRecorded: shown });
    await vi.waitFor(() => expect(shown).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    const { id } = shown.mock.calls[0]![0] as { id: string };
    await d.db.transaction('rw', d.db.captures, d.db.artifacts, async () => {
      await d.db.artifacts.where('captureId').equals(id).delete();
      await d.db.captures.delete(id);
    });
    confirm(true);
    await recording;
    expect(await d.db.captures.get(id)).toBeUndefined();
    expect(await loadArtifacts(d.db, id)).toEqual([]);
    // The wait above may take up to 10 s on a loaded machine: the test may too.
  }, 15_000);

  it('drops the screenshot unstored when the policy, once read, turns screenshots off', async () => {
    const d = deps({ allowScreenshots: () => ({ now: Promise.resolve(true), confirmed: Promise.resolve(false) }) });
    const capture = await recordCapture(d, 5, element, { metadataOnly: false, windowId: 3 });
    expect((await loadArtifacts(d.db, capture.id)).map((r) => r.name)).toEqual(['text.txt']);
    expect(capture.unavailable).toEqual([
      { name: 'viewport.png', reason: 'screenshots-disabled' },
      { name: 'element.png', reason: 'screenshots-disabled' },
    ]);
  });

  it('refuses a tab that cannot be reported', async () => {
    const d = deps({ tabs: tabsAt({ url: 'chrome://settings/' }) });
    await expect(recordCapture(d, 5, element, { metadataOnly: false })).rejects.toMatchObject({ code: 'tab_not_reportable' });
  });
});

describe('screenshot queue', () => {
  it('spaces calls to stay under two per second and retries on the quota error', async () => {
    const clock = testClock();
    const calls: number[] = [];
    let refuse = 2;
    const queue = createScreenshotQueue({
      captureVisibleTab: async () => {
        calls.push(clock());
        if (refuse-- > 0) throw new Error('This request exceeds the MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND quota.');
        return dataUrl(PNG);
      },
      now: clock,
      sleep: async (ms) => clock.advance(ms),
    });
    const [a, b] = await Promise.all([queue.capture(1), queue.capture(1)]);
    expect(a).toEqual(PNG);
    expect(b).toEqual(PNG);
    expect(calls).toHaveLength(4);
    for (let i = 1; i < calls.length; i++) expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(500);
  });

  it('crops to the box scaled by the device pixel ratio, clipped to the image', () => {
    expect(cropRect({ x: 10, y: 20, width: 100, height: 50 }, 2, 1000, 1000)).toEqual({ x: 20, y: 40, width: 200, height: 100 });
    expect(cropRect({ x: -10, y: 900, width: 100, height: 500 }, 1, 800, 1000)).toEqual({ x: 0, y: 900, width: 90, height: 100 });
    expect(cropRect({ x: 0, y: 2000, width: 10, height: 10 }, 1, 800, 600)).toBeUndefined();
  });
});

describe('submitting a capture', () => {
  it('sends every artifact with bytes and hashes; the manifest verifies; the capture is consumed', async () => {
    const d = deps();
    const capture = await recordCapture(d, 5, element, { metadataOnly: false });
    const record = await submitCapturedReport(
      d.db,
      d.tabs,
      { tabId: 5, category: 'rumor', explanation: '', goodFaith: true, captureId: capture.id },
      factory(),
    );
    const report = Report.parse(record.report);
    expect(report.target).toMatchObject({ kind: 'element', url: 'https://feed.example/home', text: element.text });
    expect(report.target.urlAtSubmit).toBeUndefined();
    const evidence = report.evidence!;
    expect(evidence.artifacts.map((a) => a.name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);
    expect(base64ToBytes(evidence.artifacts.find((a) => a.name === 'viewport.png')!.dataBase64)).toEqual(PNG);
    expect(evidence.manifestSha256).toBe(await manifestHash(evidence.artifacts));
    expect((await verifyEvidence(evidence)).ok).toBe(true);
    expect(await d.db.captures.count()).toBe(0);
    expect(await d.db.artifacts.count()).toBe(0);
  });

  it('records both addresses when a single-page site moved on between pick and submit', async () => {
    const d = deps();
    const capture = await recordCapture(d, 5, element, { metadataOnly: false });
    (d.tabs as ReturnType<typeof tabsAt>).record.url = 'https://feed.example/home?page=2';
    const record = await submitCapturedReport(
      d.db,
      d.tabs,
      { tabId: 5, category: 'rumor', explanation: '', goodFaith: true, captureId: capture.id },
      factory(),
    );
    expect(record.report.target).toMatchObject({
      url: 'https://feed.example/home',
      urlAtPick: 'https://feed.example/home',
      urlAtSubmit: 'https://feed.example/home?page=2',
    });
  });

  it('leaves out what the user unticked, text included', async () => {
    const d = deps();
    const capture = await recordCapture(d, 5, element, { metadataOnly: false });
    const record = await submitCapturedReport(
      d.db,
      d.tabs,
      { tabId: 5, category: 'rumor', explanation: '', goodFaith: true, captureId: capture.id, exclude: ['viewport.png', 'text.txt'] },
      factory(),
    );
    expect(record.report.evidence?.artifacts.map((a) => a.name)).toEqual(['element.png']);
    expect(record.report.evidence?.unavailable).toEqual([
      { name: 'viewport.png', reason: 'user-excluded' },
      { name: 'text.txt', reason: 'user-excluded' },
    ]);
    expect(record.report.target.text).toBeUndefined();
  });

  it('child sexual exploitation: image bytes are deleted when chosen after capture, and never sent', async () => {
    const d = deps();
    const capture = await recordCapture(d, 5, element, { metadataOnly: false });
    await discardImageArtifacts(d.db, capture.id);
    expect((await loadArtifacts(d.db, capture.id)).map((r) => r.name)).toEqual(['text.txt']);
    const record = await submitCapturedReport(
      d.db,
      d.tabs,
      { tabId: 5, category: 'minors', subReason: 'child_exploitation', explanation: '', goodFaith: true, captureId: capture.id },
      factory(),
    );
    expect(record.report.evidence?.artifacts.map((a) => a.mediaType)).toEqual(['text/plain;charset=utf-8']);
    expect(record.report.evidence?.unavailable.map((u) => u.reason)).toEqual(['category-policy', 'category-policy']);
  });

  it('child sexual exploitation chosen only at submit: the images are still not sent', async () => {
    const d = deps();
    const capture = await recordCapture(d, 5, element, { metadataOnly: false });
    const record = await submitCapturedReport(
      d.db,
      d.tabs,
      { tabId: 5, category: 'minors', subReason: 'child_exploitation', explanation: '', goodFaith: true, captureId: capture.id },
      factory(),
    );
    expect(JSON.stringify(record.report)).not.toContain(bytesToBase64(PNG));
    expect(await d.db.artifacts.count()).toBe(0);
  });

  it('a capture that is gone gives a clear error', async () => {
    const d = deps();
    await expect(
      submitCapturedReport(d.db, d.tabs, { tabId: 5, category: 'rumor', explanation: '', goodFaith: true, captureId: newId() }, factory()),
    ).rejects.toMatchObject({ code: 'capture_missing' });
  });
});

describe('context menu', () => {
  it('reports a link or an image from the menu info without opening it', () => {
    const at = '2026-11-24T10:00:00.000+00:00';
    expect(captureInputForMenu({ menuItemId: 'flagline-report-link', pageUrl: 'https://a.example/', linkUrl: 'https://b.example/x' }, at)?.target).toEqual({
      kind: 'link',
      linkUrl: 'https://b.example/x',
      links: ['https://b.example/x'],
      capturedAt: at,
    });
    expect(captureInputForMenu({ menuItemId: 'flagline-report-image', srcUrl: 'javascript:alert(1)' }, at)?.target).toEqual({ kind: 'image', capturedAt: at });
    expect(captureInputForMenu({ menuItemId: 'flagline-report-selection', selectionText: 'abc' }, at)).toMatchObject({
      target: { kind: 'selection', text: 'abc' },
      text: 'abc',
    });
    expect(captureInputForMenu({ menuItemId: 'other' }, at)).toBeUndefined();
  });
});

describe('picker messages', () => {
  const pick = (token: string): PickerCapture => ({
    token,
    kind: 'element',
    selectors: [{ type: 'CssSelector', value: 'article' }],
    text: 'x',
    truncated: false,
    links: [],
    media: [],
    box: { x: 0, y: 0, width: 10, height: 10 },
    viewport: { width: 800, height: 600 },
    devicePixelRatio: 1,
    pickedAt: Date.now(),
  });

  function setup(pickerAnswer: unknown = PICKER_STARTED, injectionError?: Error) {
    fakeBrowser.reset();
    const d = deps();
    const registry = createInjectionRegistry(fakeBrowser.storage.session, d.clock);
    const openForm = vi.fn(async () => undefined);
    const executed: unknown[] = [];
    const handlers = createHandlers({
      db: d.db,
      tabs: d.tabs,
      reportFactory: factory(d.clock),
      flush: async () => ({ attempted: 0, sent: 0, failed: 0, retrying: 0 }),
      picker: {
        scripting: {
          executeScript: async (injection) => {
            executed.push(injection);
            if (injection.files && injectionError) throw injectionError;
            return [{ frameId: 0, documentId: 'DOC-1', ...(injection.files ? { result: pickerAnswer } : {}) }];
          },
        },
        registry,
        capture: d,
        openForm,
      },
    });
    return { d, registry, handlers, openForm, executed };
  }

  it('injects on request, then accepts exactly one pick from the injected tab, frame and document', async () => {
    const { d, registry, handlers, openForm, executed } = setup();
    await handlers.startPicker({ tabId: 5, metadataOnly: false }, {});
    expect(executed).toMatchObject([
      { target: { tabId: 5, frameIds: [0] }, args: [expect.any(String)] },
      { target: { tabId: 5, frameIds: [0] }, files: ['/picker.js'] },
    ]);
    const { token } = (await registry.get(5))!;
    const sender = { id: 'ext', tab: { id: 5 }, frameId: 0, documentId: 'DOC-1', url: 'https://feed.example/home' };

    await expect(handlers.pickerCapture(pick(newId()), sender)).rejects.toMatchObject({ code: 'forbidden_sender' });
    await expect(handlers.pickerCapture(pick(token), { ...sender, frameId: 3 })).rejects.toMatchObject({ code: 'forbidden_sender' });
    await expect(handlers.pickerCapture(pick(token), { ...sender, documentId: 'DOC-2' })).rejects.toMatchObject({ code: 'forbidden_sender' });
    await expect(handlers.pickerCapture(pick(token), { ...sender, tab: { id: 6 } })).rejects.toMatchObject({ code: 'forbidden_sender' });

    const results = await Promise.allSettled([handlers.pickerCapture(pick(token), sender), handlers.pickerCapture(pick(token), sender)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(openForm).toHaveBeenCalledTimes(1);
    expect(await d.db.captures.count()).toBe(1);
    // The injection check runs alongside the tab and settings reads, but a refused pick never
    // reaches the screenshot.
    expect(d.captureVisibleTab).toHaveBeenCalledTimes(1);
  });

  it('the first pick after a browser start: the form opens before the browser answers the managed-storage read; a submit waits for the screenshot', async () => {
    const { d, registry, handlers, openForm } = setup();
    // A browser that has not answered `storage.managed.get()` yet (seconds, after a start).
    let answerPolicy!: (policy: Record<string, unknown>) => void;
    const managed = { get: vi.fn(() => new Promise<Record<string, unknown>>((resolve) => (answerPolicy = resolve))) };
    const readPolicy = cachedManagedStorageReader(managed, { addListener: () => undefined, removeListener: () => undefined });
    d.allowScreenshots = () => screenshotPermission(d.db, readPolicy, soonPolicyReader(readPolicy, lastKnownPolicy(d.db)));
    await handlers.startPicker({ tabId: 5, metadataOnly: false }, {});
    const { token } = (await registry.get(5))!;
    const picked = handlers.pickerCapture(pick(token), { id: 'ext', tab: { id: 5, windowId: 3 }, frameId: 0, documentId: 'DOC-1' });
    await vi.waitFor(() => expect(openForm).toHaveBeenCalledTimes(1));
    const { captureId } = await picked;
    expect(managed.get).toHaveBeenCalled();
    expect(await d.db.captures.get(captureId)).toMatchObject({ screenshotPending: true });
    expect((await loadArtifacts(d.db, captureId)).map((r) => r.name)).toEqual(['text.txt']);

    // Submitted before the browser answered: the report waits for the screenshot, then carries it.
    const submitted = handlers.submitReport({ tabId: 5, category: 'rumor', explanation: '', goodFaith: true, captureId }, {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await d.db.reports.count()).toBe(0);
    answerPolicy({});
    const { id } = await submitted;
    const report = (await d.db.reports.get(id))!.report;
    expect(report.evidence?.artifacts.map((a) => a.name).sort()).toEqual(['element.png', 'text.txt', 'viewport.png']);
    expect(await verifyEvidence(report.evidence!)).toMatchObject({ ok: true });
  });

  it('a picker that did not start, or a page the browser will not inject into, is an error the popup shows, never a silent success (issue 20, finding 2)', async () => {
    // The picker script threw on start: executeScript still resolves, without the picker's answer.
    await expect(setup(null).handlers.startPicker({ tabId: 5, metadataOnly: false }, {})).rejects.toMatchObject({ code: 'picker_unavailable' });
    const restricted = setup(
      PICKER_STARTED,
      new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.'),
    );
    await expect(restricted.handlers.startPicker({ tabId: 5, metadataOnly: false }, {})).rejects.toMatchObject({
      code: 'picker_unavailable',
      detail: expect.stringContaining('Cannot access'),
    });
  });

  it('a picker started for a metadata-only category captures no pixels', async () => {
    const { d, registry, handlers } = setup();
    await handlers.startPicker({ tabId: 5, metadataOnly: true }, {});
    const { token } = (await registry.get(5))!;
    await handlers.pickerCapture(pick(token), { id: 'ext', tab: { id: 5 }, frameId: 0, documentId: 'DOC-1' });
    expect(d.captureVisibleTab).not.toHaveBeenCalled();
  });
});
