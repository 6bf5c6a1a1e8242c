import type { FlaglineDB } from '../db';
import { FlaglineError } from '../errors';
import { findCategory, findReason, type CategoryDef } from '../categories';
import type { ArtifactName, Box, Evidence, PickerCapture, UnavailableReason } from '../schema/capture';
import type { SubmitReportRequest } from '../schema/messages';
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
 */
export interface CaptureDeps {
  db: FlaglineDB;
  tabs: TabSource;
  screenshots: ScreenshotQueue;
  crop: (png: Uint8Array, box: Box, devicePixelRatio: number) => Promise<Uint8Array | undefined>;
  clock: Clock;
  newId: () => string;
  /** Settings (or school policy) may switch screenshots off. */
  allowScreenshots: () => Promise<boolean>;
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
  return { target, box: pick.box, devicePixelRatio: pick.devicePixelRatio, text: pick.text || undefined, pickedAt: pick.pickedAt };
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
 * Saves a capture: first the target and its text (so nothing is lost if anything later fails),
 * then the viewport screenshot and the crop to the picked box, each hashed.
 *
 * `metadataOnly` may be a promise: the picker's message is checked (registry claim) while the
 * tab record and settings are read. Nothing is captured or saved before it resolves, and
 * nothing at all if it rejects.
 */
export async function recordCapture(
  deps: CaptureDeps,
  tabId: number,
  input: CaptureInput,
  options: { metadataOnly: boolean | PromiseLike<boolean> },
): Promise<CaptureRecord> {
  // One tab lookup serves both the tab description and the screenshot's window.
  const record = deps.tabs.get(tabId);
  const settingsAllow = deps.allowScreenshots();
  record.catch(() => undefined);
  settingsAllow.catch(() => undefined);
  void record.then(() => performance.mark('flagline:capture:tab-read'), () => undefined);
  void settingsAllow.then(() => performance.mark('flagline:capture:settings-read'), () => undefined);
  const metadataOnly = await options.metadataOnly;
  const allowed = metadataOnly ? Promise.resolve(false) : settingsAllow;
  const tab = await describeTab({ get: () => record, fileSchemeAllowed: () => deps.tabs.fileSchemeAllowed() }, tabId);
  if (!tab.reportable) throw new FlaglineError('tab_not_reportable', tab.reason);
  const now = deps.clock();

  // The screenshot starts at once (the page may scroll on); the capture is saved meanwhile.
  const unavailable: CaptureRecord['unavailable'] = [];
  const skip = (reason: UnavailableReason, detail?: string) =>
    IMAGE_ARTIFACTS.forEach((name) => unavailable.push({ name, reason, ...(detail ? { detail } : {}) }));
  const screenshotFailed = (error: unknown) => {
    const typed = error instanceof ScreenshotError ? error : new ScreenshotError('capture-failed', String(error).slice(0, 500));
    unavailable.length = 0;
    skip(typed.reason, typed.message);
  };
  const shot: Promise<Uint8Array | undefined> = (async () => {
    if (metadataOnly) return skip('category-policy'), undefined;
    if (!(await allowed)) return skip('screenshots-disabled'), undefined;
    const { windowId } = await record;
    if (windowId === undefined) throw new ScreenshotError('capture-failed', 'no window');
    return deps.screenshots.capture(windowId);
  })();
  shot.catch(() => undefined);

  const capture: CaptureRecord = {
    id: deps.newId(),
    tabId,
    createdAt: now,
    target: { ...input.target, capturedAt: input.target.capturedAt ?? isoWithOffset(now), url: tab.url, title: tab.title },
    metadataOnly,
    unavailable: [],
    ...(input.pickedAt ? { pickedAt: input.pickedAt } : {}),
  };
  const text = input.text ? await artifactRow(capture.id, 'text.txt', new TextEncoder().encode(input.text), now) : undefined;
  await deps.db.transaction('rw', deps.db.captures, deps.db.artifacts, async () => {
    await deps.db.captures.add(capture);
    if (text) await deps.db.artifacts.add(text);
  });
  performance.mark('flagline:capture:target-saved');

  // The viewport is hashed and written while the crop is worked out; the crop and the
  // capture's final state follow in one transaction. `saved` means both are committed.
  let images = false;
  try {
    const viewport = await shot;
    if (viewport) {
      const at = deps.clock();
      const viewportSaved = artifactRow(capture.id, 'viewport.png', viewport, at).then((row) => deps.db.artifacts.add(row));
      viewportSaved.catch(() => undefined);
      images = true;
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
      const cropRow = cropped ? await artifactRow(capture.id, 'element.png', cropped, at) : undefined;
      await viewportSaved;
      await deps.db.transaction('rw', deps.db.captures, deps.db.artifacts, async () => {
        if (cropRow) await deps.db.artifacts.add(cropRow);
        await deps.db.captures.update(capture.id, { unavailable, savedAt: deps.clock() });
      });
    }
  } catch (error) {
    screenshotFailed(error);
    images = false;
  }
  if (!images) {
    // No screenshot, or it could not be stored (storage full, say): say why, and keep no part
    // of the images. The target and text are saved already.
    await deps.db.transaction('rw', deps.db.captures, deps.db.artifacts, async () => {
      await deps.db.artifacts.where('captureId').equals(capture.id).filter((a) => IMAGE_ARTIFACTS.includes(a.name)).delete();
      await deps.db.captures.update(capture.id, { unavailable, savedAt: deps.clock() });
    });
  }
  performance.mark('flagline:capture:saved');
  capture.unavailable = unavailable;
  return capture;
}

/** Whether a category choice allows pixels: metadata-only sub-reasons never do. */
export function isMetadataOnly(categories: readonly CategoryDef[], category?: string, subReason?: string): boolean {
  return findReason(findCategory(categories, category ?? ''), subReason)?.evidence === 'metadata-only';
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
  if (metadataOnly) IMAGE_ARTIFACTS.forEach((name) => unavailable.push({ name, reason: 'category-policy' }));
  for (const name of exclude) if (all.some((a) => a.name === name) && !unavailable.some((u) => u.name === name)) unavailable.push({ name, reason: 'user-excluded' });

  const entries = kept.map(({ name, mediaType, sha256, size }) => ({ name, mediaType, sha256, size }));
  const evidence: Evidence = {
    manifestSha256: await manifestHash(entries),
    artifacts: kept.map((a) => ({
      name: a.name,
      mediaType: a.mediaType,
      sha256: a.sha256,
      size: a.size,
      capturedAt: isoWithOffset(a.capturedAt),
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
  const record: ReportRecord = { id: report.id, report, status: options.hold ? 'held' : 'waiting', createdAt: at, updatedAt: at, attempts: 0, nextAttemptAt: at };
  await db.transaction('rw', db.reports, db.captures, db.artifacts, async () => {
    await db.reports.add(record);
    await db.artifacts.where('captureId').equals(capture.id).delete();
    await db.captures.delete(capture.id);
  });
  return record;
}
