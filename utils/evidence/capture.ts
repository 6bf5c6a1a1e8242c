import type { FlaglineDB } from '../db';
import { FlaglineError } from '../errors';
import { isMetadataOnly } from '../categories';
import type { ArtifactName, Box, Evidence, PickerCapture, UnavailableReason } from '../schema/capture';
import type { SubmitReportRequest } from '../schema/messages';
import type { ScreenshotPermission } from '../settings';
import type { ReportRecord } from '../schema/record';
import { Report, type Reporter, type Target } from '../schema/report';
import { describeTab, type TabSource } from '../tabs';
import { isoWithOffset, type Clock } from '../time';
import { buildReport, type ReportFactory } from '../reports';
import { bytesToBase64, manifestHash, sha256Hex } from './hash';
import { ScreenshotError, type ScreenshotQueue } from './screenshot';
import { IMAGE_ARTIFACTS, loadArtifacts, type ArtifactRow, type CaptureRecord } from './store';

/**
 * Recording what the user picked (picker or context menu) with its evidence, and turning a
 * capture into a report when the user submits the form.
 *
 * One module (a little over 300 lines): recording and submitting share the evidence rules
 * (metadata-only categories, exclusions, which artifacts exist), and both ends must apply them
 * identically; the PNG work and hashing already live in their own modules.
 */
export interface CaptureDeps {
  db: FlaglineDB;
  tabs: TabSource;
  screenshots: ScreenshotQueue;
  crop: (png: Uint8Array, box: Box, devicePixelRatio: number) => Promise<Uint8Array | undefined>;
  clock: Clock;
  newId: () => string;
  /**
   * Settings (or school policy) may switch screenshots off: whether to take one at once, without
   * waiting on a slow browser, and whether to keep it (utils/settings.ts `screenshotPermission`).
   */
  allowScreenshots: () => ScreenshotPermission;
  /** Whether a screenshot still shows the picker's overlay at its probe (screenshot.ts `overlayShows`). */
  overlayShows?: (png: Uint8Array, probe: Box, devicePixelRatio: number) => Promise<boolean>;
}

/** What is known about the target besides the tab record. */
export interface CaptureInput {
  target: Omit<Target, 'url' | 'title'>;
  /** Crop the screenshot to this box (CSS pixels), at this device pixel ratio. */
  box?: Box;
  devicePixelRatio?: number;
  /** Text to keep as the `text.txt` artifact. */
  text?: string;
  /** The page's clock at the pick. */
  pickedAt?: number;
  /** Where the picker's overlay showed its hint (utils/picker/probe.ts); absent when it never showed. */
  overlayProbe?: Box;
}

/** The report target's extra fields from a picker message (URL and title come from the tab). */
export function pickToCaptureInput(pick: PickerCapture, clock: Clock): CaptureInput {
  const target: CaptureInput['target'] = {
    kind: pick.kind,
    selectors: pick.selectors,
    text: pick.text,
    textTruncated: pick.truncated,
    tagName: pick.tagName,
    links: pick.links,
    media: pick.media,
    box: pick.box,
    viewport: pick.viewport,
    devicePixelRatio: pick.devicePixelRatio,
    frameUrl: pick.frameUrl,
    iframeSrc: pick.iframeSrc,
    canonicalUrl: pick.canonicalUrl,
    lang: pick.lang,
    permalink: pick.permalink,
    // The page's clock is not trusted for more than a hint; the background's is the record.
    capturedAt: isoWithOffset(clock()),
  };
  return {
    target,
    box: pick.box,
    devicePixelRatio: pick.devicePixelRatio,
    text: pick.text || undefined,
    pickedAt: pick.pickedAt,
    ...(pick.overlayProbe ? { overlayProbe: pick.overlayProbe } : {}),
  };
}

async function artifactRow(captureId: string, name: ArtifactName, bytes: Uint8Array, at: number): Promise<ArtifactRow> {
  return {
    captureId,
    name,
    mediaType: name.endsWith('.png') ? 'image/png' : 'text/plain;charset=utf-8',
    bytes,
    sha256: await sha256Hex(bytes),
    size: bytes.length,
    capturedAt: at,
  };
}

/**
 * Saves a capture: the target, its text, the viewport screenshot and the crop to the picked box,
 * each hashed, in one transaction once the screenshot is in (or known to be impossible, which is
 * then recorded with the reason). Nothing else — the form included — happens before that commit:
 * a report window opened alongside the crop or the transaction took the CPU and the browser from
 * them (2 cores, shared: capture.savedMs 71 → 99 ms median, the transaction alone 4 → 30 ms) and
 * was shown no sooner once the window itself is light (report.formReadyMs, scripts/bench).
 * The screenshot is asked for first: the target and text are hashed while it is taken.
 *
 * `metadataOnly` may be a promise: the picker's message is checked (registry claim) while the
 * tab record and settings are read. Nothing is captured or saved before it resolves, and
 * nothing at all if it rejects.
 */
export async function recordCapture(
  deps: CaptureDeps,
  tabId: number,
  input: CaptureInput,
  options: {
    metadataOnly: boolean | PromiseLike<boolean>;
    /**
     * The tab's window as the browser reported it with the message (`sender.tab.windowId`):
     * the screenshot need not wait for the tab record, which is read meanwhile for URL and title.
     */
    windowId?: number;
    /**
     * Called once the capture can be shown in the report form: at the final save, or earlier
     * when the screenshot is in but the policy has not answered yet (see below).
     */
    onRecorded?: (capture: CaptureRecord) => void;
  },
): Promise<CaptureRecord> {
  // One tab lookup serves both the tab description and the screenshot's window.
  const record = deps.tabs.get(tabId);
  const { now: settingsAllowNow, confirmed: settingsAllow } = deps.allowScreenshots();
  // Started early, awaited below (where a failure is handled); these only keep a failure from
  // counting as unhandled while the other steps run.
  record.catch(() => undefined);
  settingsAllow.catch(() => undefined);
  settingsAllowNow.catch(() => undefined);
  void record.then(
    () => performance.mark('flagline:capture:tab-read'),
    () => undefined,
  );
  void settingsAllow.then(
    () => performance.mark('flagline:capture:settings-read'),
    () => undefined,
  );
  const metadataOnly = await options.metadataOnly;
  const allowed = metadataOnly ? Promise.resolve(false) : settingsAllow;
  const allowedNow = metadataOnly ? Promise.resolve(false) : settingsAllowNow;
  // The screenshot starts at once (the page may scroll on), in the window the message came from
  // when known, while the tab record is read for URL and title. An unreportable tab's pixels are
  // dropped unsaved (and captureVisibleTab refuses pages the extension may not access anyway).
  const unavailable: CaptureRecord['unavailable'] = [];
  const skip = (reason: UnavailableReason, detail?: string) =>
    IMAGE_ARTIFACTS.forEach((name) => unavailable.push({ name, reason, ...(detail ? { detail } : {}) }));
  const screenshotFailed = (error: unknown) => {
    const typed = error instanceof ScreenshotError ? error : new ScreenshotError('capture-failed', String(error).slice(0, 500));
    unavailable.length = 0;
    skip(typed.reason, typed.message);
  };
  const shot: Promise<Uint8Array | undefined> = (async () => {
    if (metadataOnly) return (skip('category-policy'), undefined);
    if (!(await allowedNow)) return (skip('screenshots-disabled'), undefined);
    const windowId = options.windowId ?? (await record).windowId;
    if (windowId === undefined) throw new ScreenshotError('capture-failed', 'no window');
    const first = await deps.screenshots.capture(windowId);
    const probe = input.overlayProbe;
    const stale = probe && deps.overlayShows ? await deps.overlayShows(first, probe, input.devicePixelRatio ?? 1).catch(() => false) : false;
    performance.mark('flagline:capture:overlay-checked');
    if (!stale) return first;
    // Chromium served the frame from before the overlay left. Once more, after the capture
    // spacing (the queue waits it out): the overlay has long left the screen by then.
    performance.mark('flagline:capture:retake');
    return deps.screenshots.capture(windowId);
  })();
  // Awaited below, where a failure is recorded as an unavailable screenshot.
  shot.catch(() => undefined);

  const tab = await describeTab({ get: () => record, fileSchemeAllowed: () => deps.tabs.fileSchemeAllowed() }, tabId);
  if (!tab.reportable) throw new FlaglineError('tab_not_reportable', tab.reason);
  const now = deps.clock();

  const capture: CaptureRecord = {
    id: deps.newId(),
    tabId,
    createdAt: now,
    target: { ...input.target, capturedAt: input.target.capturedAt ?? isoWithOffset(now), url: tab.url, title: tab.title },
    metadataOnly,
    unavailable: [],
    ...(input.pickedAt ? { pickedAt: input.pickedAt } : {}),
  };
  const text = input.text ? artifactRow(capture.id, 'text.txt', new TextEncoder().encode(input.text), now) : undefined;
  // Awaited below with the capture's other rows.
  text?.catch(() => undefined);
  /** Whether the capture row (and its text) is already stored, waiting for the screenshot's fate. */
  let recordedEarly = false;
  /**
   * Writes the capture with its text and `images`, all or nothing, stamped as saved now. After
   * an early record only the images are added and the capture's final state is written — unless
   * the capture is gone meanwhile (its window was closed and the pick abandoned while the policy
   * was being read): it is not brought back.
   */
  const save = async (images: ArtifactRow[]) => {
    const rows = [...(text && !recordedEarly ? [await text] : []), ...images];
    await deps.db.transaction('rw', deps.db.captures, deps.db.artifacts, async () => {
      if (recordedEarly && !(await deps.db.captures.get(capture.id))) return;
      await deps.db.captures.put({ ...capture, unavailable, savedAt: deps.clock() });
      await deps.db.artifacts.bulkAdd(rows);
    });
  };
  /**
   * The screenshot is in memory but the settings and policy have not answered yet (a browser's
   * first `storage.managed` read can take seconds): the capture and its text are stored now, so
   * the form opens at once, and the screenshot stays in memory only — never in IndexedDB — until
   * the answer says to store it or drop it.
   */
  const recordEarly = async () => {
    // Hashed before the transaction: waiting on WebCrypto inside it lets IndexedDB commit it
    // early (https://dexie.org/docs/Dexie/Dexie.transaction()#async-and-await), and the text
    // would then be written outside it.
    const textRow = await text;
    await deps.db.transaction('rw', deps.db.captures, deps.db.artifacts, async () => {
      await deps.db.captures.add({ ...capture, unavailable: [...unavailable], screenshotPending: true });
      if (textRow) await deps.db.artifacts.add(textRow);
    });
    recordedEarly = true;
    performance.mark('flagline:capture:recorded');
    options.onRecorded?.({ ...capture, unavailable: [...unavailable], screenshotPending: true });
  };
  const PENDING = Symbol('pending');

  // The viewport is hashed (WebCrypto works off this thread) while the crop is made; both
  // images and the capture's final state are then written in one transaction. `saved` means
  // all of it is committed.
  let images = false;
  try {
    let viewport = await shot;
    // Taken on the quick answer; stored only if the settings and policy, once read, allow it.
    if (viewport && (await Promise.race([allowed, Promise.resolve(PENDING)])) === PENDING) await recordEarly();
    if (viewport && !(await allowed)) {
      skip('screenshots-disabled');
      viewport = undefined;
    }
    if (viewport) {
      const at = deps.clock();
      const viewportRow = artifactRow(capture.id, 'viewport.png', viewport, at);
      // Awaited below with the capture's other rows.
      viewportRow.catch(() => undefined);
      const cropped = input.box
        ? await deps.crop(viewport, input.box, input.devicePixelRatio ?? 1).catch((error: unknown) => {
            unavailable.push({ name: 'element.png', reason: 'capture-failed', detail: String(error).slice(0, 500) });
            return undefined;
          })
        : undefined;
      if (input.box && !cropped && !unavailable.length) {
        unavailable.push({ name: 'element.png', reason: 'capture-failed', detail: 'the picked element is not on screen' });
      }
      performance.mark('flagline:capture:cropped');
      const rows = [await viewportRow, ...(cropped ? [await artifactRow(capture.id, 'element.png', cropped, at)] : [])];
      performance.mark('flagline:capture:hashed');
      await save(rows);
      images = true;
    }
  } catch (error) {
    screenshotFailed(error);
    images = false;
  }
  if (!images) {
    // No screenshot, or it could not be stored (storage full, say): say why, and keep the
    // target and its text without any part of the images.
    await save([]);
  }
  performance.mark('flagline:capture:saved');
  capture.unavailable = unavailable;
  if (!recordedEarly) options.onRecorded?.(capture);
  return capture;
}

/**
 * Builds and saves the report for a capture in one transaction: the report (with evidence bytes
 * and hashes) is written and the capture's rows are removed together, so the evidence is always
 * in exactly one place.
 */
export async function submitCapturedReport(
  db: FlaglineDB,
  tabs: TabSource,
  request: SubmitReportRequest & { captureId: string },
  factory: ReportFactory,
  options: { hold?: boolean; reporter?: Reporter } = {},
): Promise<ReportRecord> {
  const capture = await db.captures.get(request.captureId);
  if (!capture) throw new FlaglineError('capture_missing', request.captureId);
  const metadataOnly = capture.metadataOnly || isMetadataOnly(factory.categories, request.category, request.subReason);
  const exclude = new Set<ArtifactName>(request.exclude ?? []);
  const all = await loadArtifacts(db, capture.id);
  const kept = all.filter((a) => !exclude.has(a.name) && !(metadataOnly && IMAGE_ARTIFACTS.includes(a.name)));

  const unavailable = capture.unavailable.filter((u) => !(metadataOnly && IMAGE_ARTIFACTS.includes(u.name)));
  // The worker stopped while the screenshot waited in its memory for the policy: it is gone.
  if (capture.screenshotPending && !metadataOnly) {
    IMAGE_ARTIFACTS.forEach((name) =>
      unavailable.push({ name, reason: 'capture-failed', detail: 'the screenshot was lost before the policy allowed storing it' }),
    );
  }
  if (metadataOnly) IMAGE_ARTIFACTS.forEach((name) => unavailable.push({ name, reason: 'category-policy' }));
  for (const name of exclude)
    if (all.some((a) => a.name === name) && !unavailable.some((u) => u.name === name)) unavailable.push({ name, reason: 'user-excluded' });

  const entries = kept.map(({ name, mediaType, sha256, size }) => ({ name, mediaType, sha256, size }));
  const evidence: Evidence = {
    manifestSha256: await manifestHash(entries),
    artifacts: kept.map((a) => ({
      name: a.name,
      mediaType: a.mediaType,
      sha256: a.sha256,
      size: a.size,
      capturedAt: isoWithOffset(a.capturedAt),
      ...(capture.redactedAreas && a.mediaType === 'image/png' ? { redactedAreas: capture.redactedAreas } : {}),
      dataBase64: bytesToBase64(a.bytes),
    })),
    unavailable,
  };

  // Single-page sites: if the tab moved on since the pick, record both addresses.
  const now = await describeTab(tabs, capture.tabId);
  const target: Target = { ...capture.target };
  if (now.reportable && now.url !== capture.target.url) {
    target.urlAtPick = capture.target.url;
    target.urlAtSubmit = now.url;
  }
  if (exclude.has('text.txt')) {
    // Left out means left out: the text also leaves the target and its quote selector.
    delete target.text;
    delete target.textTruncated;
    target.selectors = target.selectors?.filter((s) => s.type !== 'TextQuoteSelector');
  }
  const base = buildReport(request, { url: capture.target.url, title: capture.target.title }, factory, options.reporter ? { reporter: options.reporter } : {});
  const report = Report.parse({ ...base, target, evidence });

  const at = factory.clock();
  const record: ReportRecord = {
    id: report.id,
    report,
    status: options.hold ? 'held' : 'waiting',
    createdAt: at,
    updatedAt: at,
    attempts: 0,
    nextAttemptAt: at,
  };
  await db.transaction('rw', db.reports, db.captures, db.artifacts, async () => {
    await db.reports.add(record);
    await db.artifacts.where('captureId').equals(capture.id).delete();
    await db.captures.delete(capture.id);
  });
  return record;
}
