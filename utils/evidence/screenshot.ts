import type { Box, UnavailableReason } from '../schema/capture';
import { dataUrlToBytes } from './hash';
import { OVERLAY_PROBE_RGB } from '../picker/probe';
import { colourShare, cropPngRows } from './png-crop';

/**
 * Screenshots with `tabs.captureVisibleTab`, which Chromium limits to
 * MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND (2) per extension. Calls go through one queue that
 * spaces them out, and a call refused for the quota waits and tries again instead of failing.
 */
export const CAPTURE_SPACING_MS = 510;
export const CAPTURE_QUOTA_RETRIES = 6;

export interface ScreenshotDeps {
  captureVisibleTab: (windowId: number) => Promise<string>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class ScreenshotError extends Error {
  constructor(
    readonly reason: Extract<UnavailableReason, 'restricted-page' | 'capture-failed'>,
    detail: string,
  ) {
    super(detail);
  }
}

const isQuotaError = (message: string) => /MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND|quota/i.test(message);
const isRestricted = (message: string) => /cannot access|permission|activeTab|chrome:\/\/|extensions gallery|cannot be scripted/i.test(message);

export function createScreenshotQueue(deps: ScreenshotDeps) {
  let lastCall = -Infinity;
  let queue: Promise<unknown> = Promise.resolve();

  async function captureNow(windowId: number): Promise<Uint8Array> {
    for (let attempt = 0; ; attempt++) {
      const wait = lastCall + CAPTURE_SPACING_MS - deps.now();
      if (wait > 0) await deps.sleep(wait);
      lastCall = deps.now();
      try {
        // Stage marks, read by `BENCH_DEBUG=1 npm run bench -- picker` (figures/picker.ts).
        performance.mark('flagline:capture:screenshot-start');
        const url = await deps.captureVisibleTab(windowId);
        performance.mark('flagline:capture:screenshot-done');
        const bytes = dataUrlToBytes(url);
        performance.mark('flagline:capture:decoded');
        return bytes;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (isQuotaError(message) && attempt < CAPTURE_QUOTA_RETRIES) continue;
        throw new ScreenshotError(isRestricted(message) ? 'restricted-page' : 'capture-failed', message.slice(0, 500));
      }
    }
  }

  return {
    /** A PNG of the window's visible tab; queued behind earlier calls. */
    capture(windowId: number): Promise<Uint8Array> {
      const run = queue.then(() => captureNow(windowId));
      // The caller gets `run` and its failure; the queue only has to go on after it.
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
export type ScreenshotQueue = ReturnType<typeof createScreenshotQueue>;

/**
 * The pixel rectangle of a box (CSS pixels) in a screenshot of `imageWidth × imageHeight`,
 * scaled by the device pixel ratio and clipped to the image. Undefined when nothing is visible.
 */
export function cropRect(box: Box, devicePixelRatio: number, imageWidth: number, imageHeight: number) {
  const left = Math.max(0, Math.floor(box.x * devicePixelRatio));
  const top = Math.max(0, Math.floor(box.y * devicePixelRatio));
  const right = Math.min(imageWidth, Math.ceil((box.x + box.width) * devicePixelRatio));
  const bottom = Math.min(imageHeight, Math.ceil((box.y + box.height) * devicePixelRatio));
  if (right - left < 1 || bottom - top < 1) return undefined;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23), without decoding it. */
export function pngDimensions(png: Uint8Array): { width: number; height: number } {
  if (png.length < 24 || png[0] !== 0x89 || png[1] !== 0x50) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Crops the viewport PNG to the picked box (CSS pixels × device pixel ratio). Reads only the
 * rows it needs and keeps the pixels exact (png-crop.ts); a PNG layout that reader does not
 * handle is decoded as an image instead: `createImageBitmap` with the source rectangle, drawn on
 * an `OffscreenCanvas` of the crop's size, encoded as PNG.
 */
export async function cropPng(png: Uint8Array, box: Box, devicePixelRatio: number): Promise<Uint8Array | undefined> {
  const { width, height } = pngDimensions(png);
  const rect = cropRect(box, devicePixelRatio, width, height);
  if (!rect) return undefined;
  const exact = await cropPngRows(png, rect);
  if (exact) return exact;
  const bitmap = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), rect.x, rect.y, rect.width, rect.height);
  try {
    const canvas = new OffscreenCanvas(rect.width, rect.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0);
    return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
  } finally {
    bitmap.close();
  }
}

/**
 * Whether the screenshot still shows the picker's overlay: its hint's colour fills the probe
 * band the pick named (utils/picker/probe.ts). The picker sends its pick once the frame without
 * the overlay has been rendered, but under load Chromium has served a screenshot from the frame
 * before (tests/e2e/picker-screenshot.spec.ts failed so, once in ten full runs on a machine at
 * load 10). Only the pixels wholly inside the band count; most of them must match.
 */
export async function overlayShows(png: Uint8Array, probe: Box, devicePixelRatio: number): Promise<boolean> {
  const { width, height } = pngDimensions(png);
  const left = Math.ceil(probe.x * devicePixelRatio);
  const top = Math.ceil(probe.y * devicePixelRatio);
  const right = Math.min(width, Math.floor((probe.x + probe.width) * devicePixelRatio));
  const bottom = Math.min(height, Math.floor((probe.y + probe.height) * devicePixelRatio));
  if (left < 0 || top < 0 || right - left < 1 || bottom - top < 1) return false;
  const share = await colourShare(png, { x: left, y: top, width: right - left, height: bottom - top }, OVERLAY_PROBE_RGB);
  return share !== undefined && share >= 0.9;
}
