import { crc32 as nodeCrc32, deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { colourShare, crc32, cropPngRows, fillPngRects, pngFile, readPngLayout } from '@/utils/evidence/png-crop';
import { overlayShows } from '@/utils/evidence/screenshot';
import { OVERLAY_PROBE_RGB } from '@/utils/picker/probe';

/**
 * The scanline crop against PNGs written here with every row filter of the PNG spec (§9), so
 * undoing a filter is checked against the filter's own definition, not against itself.
 */

type Pixels = { width: number; height: number; bpp: 3 | 4; data: Uint8Array };

/** Pixels with gradients, noise and flat runs, so every filter produces different bytes. */
function picture(width: number, height: number, bpp: 3 | 4, seed = 7): Pixels {
  const data = new Uint8Array(width * height * bpp);
  let state = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1103515245 + 12345) >>> 0;
      for (let c = 0; c < bpp; c++) {
        const flat = x > width / 2 && y > height / 3;
        data[(y * width + x) * bpp + c] = flat ? 200 + c : (x * 7 + y * 13 + c * 50 + ((state >>> (8 + c)) & 31)) & 0xff;
      }
    }
  }
  return { width, height, bpp, data };
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Row `y` filtered with `filter`, straight from the spec's definitions. */
function filterRow({ width, bpp, data }: Pixels, y: number, filter: number): Uint8Array {
  const rowBytes = width * bpp;
  const out = new Uint8Array(rowBytes);
  const at = (yy: number, i: number) => (yy < 0 || i < 0 ? 0 : data[yy * rowBytes + i]!);
  for (let i = 0; i < rowBytes; i++) {
    const x = at(y, i);
    const a = at(y, i - bpp);
    const b = at(y - 1, i);
    const c = at(y - 1, i - bpp);
    const predictor = [0, a, b, Math.floor((a + b) / 2), paeth(a, b, c)][filter]!;
    out[i] = (x - predictor) & 0xff;
  }
  return out;
}

function chunk(type: string, data: Uint8Array) {
  return { type, data };
}

function ihdr(width: number, height: number, bitDepth: number, colorType: number, interlace = 0) {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data.set([bitDepth, colorType, 0, 0, interlace], 8);
  return chunk('IHDR', data);
}

/** A PNG of `pixels` whose row `y` uses `filters(y)`; the image data split over several IDATs. */
function encode(pixels: Pixels, filters: (y: number) => number, extra: Array<{ type: string; data: Uint8Array }> = []): Uint8Array {
  const rowBytes = pixels.width * pixels.bpp;
  const raw = new Uint8Array((rowBytes + 1) * pixels.height);
  for (let y = 0; y < pixels.height; y++) {
    const filter = filters(y);
    raw[y * (rowBytes + 1)] = filter;
    raw.set(filterRow(pixels, y, filter), y * (rowBytes + 1) + 1);
  }
  const z = new Uint8Array(deflateSync(raw));
  const third = Math.ceil(z.length / 3);
  const idats = [0, 1, 2].map((i) => chunk('IDAT', z.subarray(i * third, (i + 1) * third)));
  return pngFile([ihdr(pixels.width, pixels.height, 8, pixels.bpp === 4 ? 6 : 2), ...extra, ...idats, chunk('IEND', new Uint8Array())]);
}

/** Decodes a PNG whose rows all use filter 0 (what the crop writes) — checks that it does. */
function decodeUnfiltered(png: Uint8Array): Pixels & { colorType: number } {
  const layout = readPngLayout(png);
  const bpp = layout.colorType === 6 ? 4 : 3;
  const raw = new Uint8Array(inflateSync(Buffer.concat(layout.idat)));
  const rowBytes = layout.width * bpp;
  expect(raw.length).toBe((rowBytes + 1) * layout.height);
  const data = new Uint8Array(rowBytes * layout.height);
  for (let y = 0; y < layout.height; y++) {
    expect(raw[y * (rowBytes + 1)]).toBe(0);
    data.set(raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1)), y * rowBytes);
  }
  return { width: layout.width, height: layout.height, bpp, data, colorType: layout.colorType };
}

function region({ width, bpp, data }: Pixels, rect: { x: number; y: number; width: number; height: number }): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height * bpp);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * width + rect.x) * bpp;
    out.set(data.subarray(from, from + rect.width * bpp), y * rect.width * bpp);
  }
  return out;
}

/** Every chunk's stored CRC, next to node:zlib's CRC-32 of its type and data. */
function chunkCrcs(png: Uint8Array): Array<[number, number]> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Array<[number, number]> = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    out.push([view.getUint32(at + 8 + length), nodeCrc32(png.subarray(at + 4, at + 8 + length))]);
    at += 12 + length;
  }
  return out;
}

describe('cropping a screenshot PNG by its scanlines', () => {
  const rects = [
    { x: 0, y: 0, width: 41, height: 29 }, // the whole image
    { x: 5, y: 3, width: 17, height: 9 }, // inside
    { x: 30, y: 20, width: 11, height: 9 }, // bottom-right corner
    { x: 0, y: 28, width: 1, height: 1 }, // one pixel on the last row
  ];

  for (const bpp of [3, 4] as const) {
    for (const [name, filters] of [
      ['None', () => 0],
      ['Sub', () => 1],
      ['Up', () => 2],
      ['Average', () => 3],
      ['Paeth', () => 4],
      ['mixed, row by row', (y: number) => (y * 3) % 5],
    ] as const) {
      it(`gives exactly the source pixels for rows filtered with ${name} (${bpp === 4 ? 'RGBA' : 'RGB'})`, async () => {
        const pixels = picture(41, 29, bpp);
        const png = encode(pixels, filters);
        for (const rect of rects) {
          const crop = await cropPngRows(png, rect);
          expect(crop).toBeDefined();
          const decoded = decodeUnfiltered(crop!);
          expect({ width: decoded.width, height: decoded.height, colorType: decoded.colorType }).toEqual({
            width: rect.width,
            height: rect.height,
            colorType: bpp === 4 ? 6 : 2,
          });
          expect(decoded.data).toEqual(region(pixels, rect));
          for (const [stored, computed] of chunkCrcs(crop!)) expect(stored).toBe(computed);
        }
      });
    }
  }

  it("a large image, inflated a slice at a time until the crop's last row, gives exactly its pixels", async () => {
    const pixels = picture(720, 420, 4);
    const png = encode(pixels, (y) => (y * 3) % 5);
    // Near the top (inflation stops early) and down to the last row (all of it is needed).
    for (const rect of [
      { x: 3, y: 2, width: 715, height: 40 },
      { x: 0, y: 100, width: 720, height: 320 },
    ]) {
      const decoded = decodeUnfiltered((await cropPngRows(png, rect))!);
      // Compared as buffers: toEqual walks a megabyte element by element.
      expect(Buffer.from(decoded.data).equals(Buffer.from(region(pixels, rect)))).toBe(true);
    }
  }, 30_000);

  it('keeps the chunks that say how to read colours, and nothing else', async () => {
    const srgb = chunk('sRGB', Uint8Array.of(0));
    const text = chunk('tEXt', new TextEncoder().encode('Comment\0from the page'));
    const png = encode(picture(8, 8, 3), () => 1, [srgb, text]);
    const crop = (await cropPngRows(png, { x: 1, y: 1, width: 3, height: 3 }))!;
    const types: string[] = [];
    const view = new DataView(crop.buffer, crop.byteOffset, crop.byteLength);
    for (let at = 8; at < crop.length; at += 12 + view.getUint32(at)) types.push(new TextDecoder().decode(crop.subarray(at + 4, at + 8)));
    expect(types).toEqual(['IHDR', 'sRGB', 'IDAT', 'IEND']);
  });

  it('leaves layouts it does not read (16-bit, palette, interlaced) to the image decoder', async () => {
    const idat = chunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(64))));
    const end = chunk('IEND', new Uint8Array());
    const rect = { x: 0, y: 0, width: 1, height: 1 };
    expect(await cropPngRows(pngFile([ihdr(2, 2, 16, 2), idat, end]), rect)).toBeUndefined();
    expect(await cropPngRows(pngFile([ihdr(2, 2, 8, 3), idat, end]), rect)).toBeUndefined();
    expect(await cropPngRows(pngFile([ihdr(2, 2, 8, 2, 1), idat, end]), rect)).toBeUndefined();
  });

  it('refuses what is not a whole PNG, and a crop outside the image', async () => {
    const png = encode(picture(8, 8, 3), () => 2);
    await expect(cropPngRows(png.subarray(0, png.length - 20), { x: 0, y: 0, width: 8, height: 8 })).rejects.toThrow();
    await expect(cropPngRows(Uint8Array.of(1, 2, 3), { x: 0, y: 0, width: 1, height: 1 })).rejects.toThrow('not a PNG');
    await expect(cropPngRows(png, { x: 4, y: 4, width: 5, height: 1 })).rejects.toThrow('outside');
    // Image data that inflates to fewer rows than the header promises.
    const short = pngFile([ihdr(8, 8, 8, 2), chunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(25)))), chunk('IEND', new Uint8Array())]);
    await expect(cropPngRows(short, { x: 0, y: 0, width: 8, height: 8 })).rejects.toThrow('ends early');
  });

  it('computes PNG chunk CRCs as zlib does', () => {
    const bytes = new TextEncoder().encode('IEND清朗');
    expect(crc32(bytes)).toBe(nodeCrc32(bytes));
    expect(crc32(new Uint8Array())).toBe(0);
  });
});

describe('looking for a colour in a screenshot (the picker overlay check)', () => {
  /** `picture` with a band of `rgb` over `band` (image pixels). */
  function banded(bpp: 3 | 4, band: { x: number; y: number; width: number; height: number }, rgb: readonly number[]): Pixels {
    const pixels = picture(60, 40, bpp);
    for (let y = band.y; y < band.y + band.height; y++) {
      for (let x = band.x; x < band.x + band.width; x++) pixels.data.set([...rgb, ...(bpp === 4 ? [255] : [])], (y * pixels.width + x) * bpp);
    }
    return pixels;
  }
  const band = { x: 10, y: 4, width: 30, height: 6 };

  for (const bpp of [3, 4] as const) {
    for (const filter of [0, 1, 2, 3, 4]) {
      it(`measures the share of matching pixels, ${bpp * 8}-bit, filter ${filter}`, async () => {
        const png = encode(banded(bpp, band, OVERLAY_PROBE_RGB), () => filter);
        expect(await colourShare(png, band, OVERLAY_PROBE_RGB)).toBe(1);
        expect(await colourShare(png, { ...band, x: band.x + band.width / 2 }, OVERLAY_PROBE_RGB)).toBeCloseTo(0.5, 1);
        expect(await colourShare(png, { x: 0, y: 20, width: 10, height: 10 }, OVERLAY_PROBE_RGB)).toBe(0);
      });
    }
  }

  it('finds the overlay at its probe, scaled for the device pixel ratio, and nowhere else', async () => {
    // The hint's band at CSS (5, 2) 15×3 on a 2× screen: image pixels (10, 4) 30×6.
    const png = encode(banded(4, band, OVERLAY_PROBE_RGB), (y) => y % 5);
    expect(await overlayShows(png, { x: 5, y: 2, width: 15, height: 3 }, 2)).toBe(true);
    expect(await overlayShows(png, { x: 5, y: 12, width: 15, height: 3 }, 2)).toBe(false);
    // A page showing a near colour there is not the overlay.
    const near = encode(banded(4, band, [0x1b + 9, 0x1f, 0x24]), () => 0);
    expect(await overlayShows(near, { x: 5, y: 2, width: 15, height: 3 }, 2)).toBe(false);
    // A probe off the image cannot show anything.
    expect(await overlayShows(png, { x: -20, y: -20, width: 5, height: 5 }, 1)).toBe(false);
  });
});

describe('redaction: filling rectangles with black in the pixels', () => {
  for (const bpp of [3, 4] as const) {
    it(`blacks out exactly the given rectangles (clipped to the image) and keeps every other pixel (${bpp === 4 ? 'RGBA' : 'RGB'})`, async () => {
      const pixels = picture(37, 23, bpp);
      const png = encode(pixels, (y) => y % 5);
      const rects = [
        { x: 3, y: 2, width: 10, height: 6 },
        { x: 30, y: 18, width: 20, height: 20 }, // runs past the right and bottom edges
      ];
      const redacted = await fillPngRects(png, rects);
      const out = decodeUnfiltered(redacted!);
      expect([out.width, out.height, out.bpp]).toEqual([37, 23, bpp]);
      const inside = (x: number, y: number) => rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
      for (let y = 0; y < 23; y++) {
        for (let x = 0; x < 37; x++) {
          const at = (y * 37 + x) * bpp;
          const got = [...out.data.subarray(at, at + bpp)];
          const was = [...pixels.data.subarray(at, at + bpp)];
          expect(got, `${x},${y}`).toEqual(inside(x, y) ? (bpp === 4 ? [0, 0, 0, 255] : [0, 0, 0]) : was);
        }
      }
      expect(await colourShare(redacted!, rects[0]!, [0, 0, 0], 0)).toBe(1);
      for (const [stored, computed] of chunkCrcs(redacted!)) expect(stored).toBe(computed);
    });
  }
});
