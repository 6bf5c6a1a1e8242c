import type { FlaglineDB } from '../db';
import type { Box } from '../schema/capture';
import { sha256Hex } from './hash';
import { fillPngRects, type PixelRect } from './png-crop';
import { cropPng } from './screenshot';
import { loadArtifacts, type ArtifactRow } from './store';

/** Where an unredacted original kept on request waits: this device's database only, never sent or exported. */
export const ORIGINAL_KEY_PREFIX = 'redaction.original:';

/**
 * `png` with `rects` (image pixels) blacked out in the pixels. The exact row rewrite
 * (png-crop.ts) keeps every other pixel as it was; a PNG layout it does not handle is drawn on
 * an OffscreenCanvas, filled with black rectangles and encoded again — never blurred.
 */
export async function redactPng(png: Uint8Array, rects: readonly PixelRect[]): Promise<Uint8Array> {
  const exact = await fillPngRects(png, rects);
  if (exact) return exact;
  const bitmap = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0);
    context.fillStyle = '#000';
    for (const r of rects) context.fillRect(r.x, r.y, r.width, r.height);
    return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
  } finally {
    bitmap.close();
  }
}

/**
 * Redacts a capture's screenshot before it is submitted: `rects` (pixels of viewport.png) are
 * blacked out, the crop of the picked element is cut again from the redacted screenshot, both
 * are hashed anew and replace the originals in one transaction, and the capture records how many
 * areas were redacted (the report says so to the receiver). The unredacted originals are gone
 * unless `keepOriginal`: then they stay in this device's database only — never in a report, a
 * batch or an export.
 */
export async function redactCapture(db: FlaglineDB, captureId: string, rects: readonly PixelRect[], options: { keepOriginal: boolean; now: number }) {
  if (rects.length === 0) return;
  const capture = await db.captures.get(captureId);
  if (!capture || capture.metadataOnly) throw new Error('nothing to redact');
  const rows = await loadArtifacts(db, captureId);
  const viewport = rows.find((row) => row.name === 'viewport.png');
  if (!viewport) throw new Error('no screenshot to redact');
  const redacted = await redactPng(viewport.bytes, rects);
  const replaced: ArtifactRow[] = [{ ...viewport, bytes: redacted, sha256: await sha256Hex(redacted), size: redacted.length }];
  const element = rows.find((row) => row.name === 'element.png');
  const box: Box | undefined = capture.target.box;
  if (element) {
    const crop = box ? await cropPng(redacted, box, capture.target.devicePixelRatio ?? 1) : undefined;
    // Without a box the crop cannot be cut again: it is dropped rather than sent unredacted.
    if (crop) replaced.push({ ...element, bytes: crop, sha256: await sha256Hex(crop), size: crop.length });
  }
  await db.transaction('rw', db.captures, db.artifacts, db.keyValue, async () => {
    if (options.keepOriginal) {
      const originals = rows.filter((row) => row.mediaType === 'image/png');
      // The first redaction's originals are the unredacted ones: a second pass keeps them.
      const key = `${ORIGINAL_KEY_PREFIX}${captureId}`;
      if (!(await db.keyValue.get(key))) await db.keyValue.put({ key, value: { keptAt: options.now, url: capture.target.url, artifacts: originals } });
    }
    await db.artifacts.bulkPut(replaced);
    if (element && !replaced.some((row) => row.name === 'element.png')) await db.artifacts.delete([captureId, 'element.png']);
    await db.captures.update(captureId, { redactedAreas: (capture.redactedAreas ?? 0) + rects.length });
  });
}
