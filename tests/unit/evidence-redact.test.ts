import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { submitCapturedReport } from '@/utils/evidence/capture';
import { sha256Hex, verifyEvidence } from '@/utils/evidence/hash';
import { colourShare, cropPngRows, pngFile } from '@/utils/evidence/png-crop';
import { ORIGINAL_KEY_PREFIX, redactCapture } from '@/utils/evidence/redact';
import { loadArtifacts, type ArtifactRow } from '@/utils/evidence/store';
import { freshDb, testClock } from './helpers';

/** An RGB PNG of `width × height` in a light grey with a pattern, rows unfiltered. */
function screenshot(width: number, height: number): Uint8Array {
  const stride = width * 3 + 1;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([200 + (x % 40), 210, 220 + (y % 30)], y * stride + 1 + x * 3);
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  return pngFile([
    { type: 'IHDR', data: header },
    { type: 'IDAT', data: new Uint8Array(deflateSync(raw)) },
    { type: 'IEND', data: new Uint8Array() },
  ]);
}

const ID = 'cap-1';

async function seed(keep = false) {
  const db = freshDb();
  const viewport = screenshot(200, 120);
  // The picked element: CSS box 10,20 60×40 at device pixel ratio 2 → pixels 20,40 120×80.
  const element = (await cropPngRows(viewport, { x: 20, y: 40, width: 120, height: 80 }))!;
  const row = async (name: ArtifactRow['name'], bytes: Uint8Array, mediaType: ArtifactRow['mediaType'] = 'image/png'): Promise<ArtifactRow> => ({
    captureId: ID,
    name,
    mediaType,
    bytes,
    sha256: await sha256Hex(bytes),
    size: bytes.length,
    capturedAt: 1,
  });
  await db.captures.add({
    id: ID,
    tabId: 5,
    createdAt: 1,
    target: { kind: 'element', url: 'https://feed.example/p/1', title: 'A post', box: { x: 10, y: 20, width: 60, height: 40 }, devicePixelRatio: 2 },
    metadataOnly: false,
    unavailable: [],
  });
  await db.artifacts.bulkAdd([
    await row('viewport.png', viewport),
    await row('element.png', element),
    await row('text.txt', new TextEncoder().encode('张三'), 'text/plain;charset=utf-8'),
  ]);
  return { db, viewport, keep };
}

describe('redacting a screenshot before it is submitted', () => {
  it('blacks out the areas in the stored pixels, re-cuts the crop from the redacted screenshot, hashes anew, and keeps no original', async () => {
    const { db, viewport } = await seed();
    // One area inside the element's crop (pixels 30,50 40×20), one outside it.
    await redactCapture(
      db,
      ID,
      [
        { x: 30, y: 50, width: 40, height: 20 },
        { x: 150, y: 0, width: 50, height: 30 },
      ],
      { keepOriginal: false, now: 5 },
    );
    const rows = await loadArtifacts(db, ID);
    const shot = rows.find((r) => r.name === 'viewport.png')!;
    expect(shot.bytes).not.toEqual(viewport);
    expect(await colourShare(shot.bytes, { x: 30, y: 50, width: 40, height: 20 }, [0, 0, 0], 0)).toBe(1);
    expect(await colourShare(shot.bytes, { x: 150, y: 0, width: 50, height: 30 }, [0, 0, 0], 0)).toBe(1);
    expect(await colourShare(shot.bytes, { x: 0, y: 0, width: 30, height: 120 }, [0, 0, 0], 0)).toBe(0);
    const crop = rows.find((r) => r.name === 'element.png')!;
    // The crop's pixels 10,10 40×20 are the redacted area.
    expect(await colourShare(crop.bytes, { x: 10, y: 10, width: 40, height: 20 }, [0, 0, 0], 0)).toBe(1);
    expect(crop.bytes).toEqual(await cropPngRows(shot.bytes, { x: 20, y: 40, width: 120, height: 80 }));
    for (const row of rows) {
      expect(row.sha256).toBe(await sha256Hex(row.bytes));
      expect(row.size).toBe(row.bytes.length);
    }
    expect((await db.captures.get(ID))?.redactedAreas).toBe(2);
    expect(await db.keyValue.where('key').startsWith(ORIGINAL_KEY_PREFIX).count()).toBe(0);

    // The report sends the redacted bytes, says so, and every hash verifies.
    const clock = testClock();
    const record = await submitCapturedReport(
      db,
      { get: async () => ({ url: 'https://feed.example/p/1', title: 'A post', windowId: 1 }), fileSchemeAllowed: async () => false },
      { tabId: 5, category: 'cyberviolence', explanation: '', goodFaith: true, captureId: ID },
      { clock, newId: () => '00000000-0000-4000-8000-000000000099', categories: BUILT_IN_CATEGORIES, client: { version: '1', locale: 'en' } },
    );
    const evidence = record.report.evidence!;
    expect(evidence.artifacts.map((a) => [a.name, a.redactedAreas])).toEqual(
      expect.arrayContaining([
        ['viewport.png', 2],
        ['element.png', 2],
        ['text.txt', undefined],
      ]),
    );
    expect(evidence.artifacts.find((a) => a.name === 'viewport.png')?.sha256).toBe(shot.sha256);
    expect(await verifyEvidence(evidence)).toMatchObject({ ok: true });
  });

  it('keeps the unredacted original on this device only when asked, and only the first one', async () => {
    const { db, viewport } = await seed(true);
    await redactCapture(db, ID, [{ x: 0, y: 0, width: 10, height: 10 }], { keepOriginal: true, now: 5 });
    await redactCapture(db, ID, [{ x: 20, y: 20, width: 10, height: 10 }], { keepOriginal: true, now: 6 });
    const kept = (await db.keyValue.get(`${ORIGINAL_KEY_PREFIX}${ID}`))?.value as { artifacts: ArtifactRow[] };
    expect(kept.artifacts.find((a) => a.name === 'viewport.png')?.bytes).toEqual(viewport);
    expect((await db.captures.get(ID))?.redactedAreas).toBe(2);
  });
});
