/**
 * Cropping the viewport screenshot (the PNG `tabs.captureVisibleTab` returns) to the picked
 * element by reading its scanlines, instead of decoding it as an image.
 *
 * Why not `createImageBitmap` + `OffscreenCanvas`: that decodes every pixel of the viewport
 * (~16–20 ms for 1280×720 in the service worker, plus thread hops), then draws and re-encodes the
 * crop (~5 ms) — the largest part of pick → saved after the screenshot itself
 * (scripts/bench/figures/picker.ts). Here the browser's own zlib (Compression Streams) inflates
 * only the rows down to the crop's bottom edge; the PNG row filters are undone in place (plain
 * arithmetic on bytes), the crop's rows are copied out unchanged and deflated again. The crop's
 * pixels are exactly the viewport PNG's pixels — no colour conversion, no premultiplied alpha —
 * so anyone can check that element.png is a region of viewport.png.
 *
 * Handles what browsers produce for a screenshot: 8-bit RGB or RGBA, not interlaced. For any
 * other layout `cropPngRows` answers `undefined` and the caller decodes the image instead.
 */

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IHDR = 0x49484452;
const IDAT = 0x49444154;
const IEND = 0x49454e44;
/** Ancillary chunks that say how to read the colours: kept so the crop looks like the source. */
const COLOUR_CHUNKS = new Set(['cHRM', 'gAMA', 'iCCP', 'sRGB', 'cICP']);

interface PngLayout {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  idat: Uint8Array[];
  colour: Array<{ type: string; data: Uint8Array }>;
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** Walks the chunks; throws on anything that is not a well-formed PNG. */
export function readPngLayout(png: Uint8Array): PngLayout {
  if (png.length < 33 || SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (view.getUint32(12) !== IHDR || view.getUint32(8) !== 13) throw new Error('PNG without IHDR');
  const layout: PngLayout = {
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: png[24]!,
    colorType: png[25]!,
    interlace: png[28]!,
    idat: [],
    colour: [],
  };
  for (let at = 8; ;) {
    if (at + 12 > png.length) throw new Error('PNG ends early');
    const length = view.getUint32(at);
    const type = view.getUint32(at + 4);
    if (at + 12 + length > png.length) throw new Error('PNG chunk runs past the end');
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === IDAT) layout.idat.push(data);
    else if (type === IEND) break;
    else if (COLOUR_CHUNKS.has(chunkType(png, at + 4))) layout.colour.push({ type: chunkType(png, at + 4), data });
    at += 12 + length;
  }
  if (!layout.idat.length) throw new Error('PNG without image data');
  return layout;
}

/** A stream of `parts`, in memory (a Blob's stream would go through the browser's blob store). */
function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
}

/** Pieces of at most `size` bytes: fed one at a time, inflation stops soon after the crop. */
function slices(parts: Uint8Array[], size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const part of parts) for (let at = 0; at < part.length; at += size) out.push(part.subarray(at, at + size));
  return out;
}

/**
 * The first `length` bytes the zlib stream `parts` inflates to, with the browser's zlib. The
 * compressed data is handed over a slice at a time, only while more rows are needed: a
 * screenshot compresses 100–300:1, so one 4 KB IDAT chunk alone inflates to a megabyte.
 */
async function inflatePrefix(parts: Uint8Array[], length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let filled = 0;
  const pieces = slices(parts, 1024);
  let next = 0;
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      pull(controller) {
        if (next < pieces.length) controller.enqueue(pieces[next++] as Uint8Array<ArrayBuffer>);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const reader = source.pipeThrough(new DecompressionStream('deflate')).getReader();
  try {
    while (filled < length) {
      const { done, value } = await reader.read();
      if (done) throw new Error('PNG image data ends early');
      const take = Math.min(value.length, length - filled);
      out.set(take === value.length ? value : value.subarray(0, take), filled);
      filled += take;
    }
  } finally {
    // The rows below the crop are not needed: stop inflating.
    // The rows below the crop are not needed: stop inflating. A failed cancel only means the
    // stream had already ended.
    void reader.cancel().catch(() => undefined);
  }
  return out;
}

/**
 * Undoes the PNG row filters (PNG spec §9) for rows `0…rows-1` of `data`, in place. Each row is
 * a filter-type byte followed by `stride - 1` bytes; `bpp` is bytes per pixel.
 */
export function unfilterRows(data: Uint8Array, rows: number, stride: number, bpp: number): void {
  const length = stride - 1;
  for (let y = 0; y < rows; y++) {
    const row = y * stride + 1;
    const up = row - stride;
    const filter = data[row - 1];
    switch (filter) {
      case 0:
        break;
      case 1: // Sub
        for (let i = bpp; i < length; i++) data[row + i] = (data[row + i]! + data[row + i - bpp]!) & 0xff;
        break;
      case 2: // Up
        if (y > 0) for (let i = 0; i < length; i++) data[row + i] = (data[row + i]! + data[up + i]!) & 0xff;
        break;
      case 3: // Average
        if (y === 0) {
          for (let i = bpp; i < length; i++) data[row + i] = (data[row + i]! + (data[row + i - bpp]! >> 1)) & 0xff;
        } else {
          for (let i = 0; i < bpp; i++) data[row + i] = (data[row + i]! + (data[up + i]! >> 1)) & 0xff;
          for (let i = bpp; i < length; i++) data[row + i] = (data[row + i]! + ((data[row + i - bpp]! + data[up + i]!) >> 1)) & 0xff;
        }
        break;
      case 4: // Paeth; on the first row it is Sub
        if (y === 0) {
          for (let i = bpp; i < length; i++) data[row + i] = (data[row + i]! + data[row + i - bpp]!) & 0xff;
        } else {
          for (let i = 0; i < bpp; i++) data[row + i] = (data[row + i]! + data[up + i]!) & 0xff;
          for (let i = bpp; i < length; i++) {
            const a = data[row + i - bpp]!;
            const b = data[up + i]!;
            const c = data[up + i - bpp]!;
            const p = a + b - c;
            const pa = p > a ? p - a : a - p;
            const pb = p > b ? p - b : b - p;
            const pc = p > c ? p - c : c - p;
            data[row + i] = (data[row + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
          }
        }
        break;
      default:
        throw new Error(`bad PNG row filter ${filter}`);
    }
  }
}

let crcTable: Int32Array | undefined;
/** CRC-32 (ISO 3309, as PNG chunks use it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** zlib-format deflate (what IDAT holds) with the browser's own zlib. */
async function deflate(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await new Response(streamOf([data]).pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
}

/** A PNG file from its chunks (type and data), with lengths and CRCs. */
export function pngFile(chunks: Array<{ type: string; data: Uint8Array }>): Uint8Array {
  const out = new Uint8Array(8 + chunks.reduce((sum, c) => sum + 12 + c.data.length, 0));
  const view = new DataView(out.buffer);
  out.set(SIGNATURE);
  let at = 8;
  for (const { type, data } of chunks) {
    view.setUint32(at, data.length);
    for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
    out.set(data, at + 8);
    view.setUint32(at + 8 + data.length, crc32(out.subarray(at + 4, at + 8 + data.length)));
    at += 12 + data.length;
  }
  return out;
}

/** A PNG layout these readers handle: 8-bit RGB or RGBA, not interlaced. */
function readableLayout(png: Uint8Array) {
  const layout = readPngLayout(png);
  const { width, bitDepth, colorType, interlace } = layout;
  if (bitDepth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) return undefined;
  const bpp = colorType === 6 ? 4 : 3;
  return { layout, bpp, stride: width * bpp + 1 };
}

/** The first `rows` scanlines, inflated and unfiltered: each a filter byte, then the pixels. */
async function firstRows({ layout, bpp, stride }: NonNullable<ReturnType<typeof readableLayout>>, rows: number): Promise<Uint8Array> {
  const data = await inflatePrefix(layout.idat, rows * stride);
  unfilterRows(data, rows, stride, bpp);
  return data;
}

/**
 * The pixels of `rect` (image pixels, inside the image) of `png` as a PNG of the same colour
 * type, or `undefined` when the PNG's layout is not one this reader handles.
 */
export async function cropPngRows(png: Uint8Array, rect: PixelRect): Promise<Uint8Array | undefined> {
  const readable = readableLayout(png);
  if (!readable) return undefined;
  const { layout, bpp, stride } = readable;
  const { width, height, colorType } = layout;
  if (rect.x < 0 || rect.y < 0 || rect.width < 1 || rect.height < 1 || rect.x + rect.width > width || rect.y + rect.height > height) {
    throw new Error('crop outside the image');
  }
  const data = await firstRows(readable, rect.y + rect.height);

  // The crop's rows, each with filter type 0 (None): for screenshots (flat colours, repeated
  // runs) it compresses best and costs only a copy.
  const cropStride = rect.width * bpp + 1;
  const scanlines = new Uint8Array(cropStride * rect.height);
  for (let y = 0; y < rect.height; y++) {
    const from = (rect.y + y) * stride + 1 + rect.x * bpp;
    scanlines.set(data.subarray(from, from + rect.width * bpp), y * cropStride + 1);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, rect.width);
  view.setUint32(4, rect.height);
  header.set([8, colorType, 0, 0, 0], 8);
  return pngFile([
    { type: 'IHDR', data: header },
    ...layout.colour,
    { type: 'IDAT', data: await deflate(scanlines) },
    { type: 'IEND', data: new Uint8Array() },
  ]);
}

/**
 * The share (0…1) of the pixels of `rect` (image pixels, inside the image) whose colour is within
 * `tolerance` of `rgb` in every channel; `undefined` when the PNG's layout is not one this
 * reader handles. Reads only the rows down to the rect's bottom edge, like the crop.
 */
export async function colourShare(png: Uint8Array, rect: PixelRect, rgb: readonly [number, number, number], tolerance = 2): Promise<number | undefined> {
  const readable = readableLayout(png);
  if (!readable) return undefined;
  const { layout, bpp, stride } = readable;
  const x0 = Math.max(0, rect.x);
  const y0 = Math.max(0, rect.y);
  const x1 = Math.min(layout.width, rect.x + rect.width);
  const y1 = Math.min(layout.height, rect.y + rect.height);
  if (x1 <= x0 || y1 <= y0) return 0;
  const data = await firstRows(readable, y1);
  let matching = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const at = y * stride + 1 + x * bpp;
      if (Math.abs(data[at]! - rgb[0]) <= tolerance && Math.abs(data[at + 1]! - rgb[1]) <= tolerance && Math.abs(data[at + 2]! - rgb[2]) <= tolerance)
        matching++;
    }
  }
  return matching / ((x1 - x0) * (y1 - y0));
}

/**
 * `png` with every rectangle of `rects` (image pixels; clipped to the image) filled with solid
 * black, alpha opaque — in the pixels themselves, so nothing of what was under them survives (a
 * blur can be reversed; a box drawn over a preview is not in the file at all). Every other pixel
 * stays exactly as it was; rows are written with filter type 0 and deflated again. `undefined`
 * when the PNG's layout is not one this reader handles.
 */
export async function fillPngRects(png: Uint8Array, rects: readonly PixelRect[]): Promise<Uint8Array | undefined> {
  const readable = readableLayout(png);
  if (!readable) return undefined;
  const { layout, bpp, stride } = readable;
  const { width, height, colorType } = layout;
  const data = await firstRows(readable, height);
  for (let y = 0; y < height; y++) data[y * stride] = 0;
  for (const rect of rects) {
    const x0 = Math.max(0, Math.floor(rect.x));
    const y0 = Math.max(0, Math.floor(rect.y));
    const x1 = Math.min(width, Math.ceil(rect.x + rect.width));
    const y1 = Math.min(height, Math.ceil(rect.y + rect.height));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const at = y * stride + 1 + x * bpp;
        data[at] = data[at + 1] = data[at + 2] = 0;
        if (bpp === 4) data[at + 3] = 255;
      }
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, colorType, 0, 0, 0], 8);
  return pngFile([
    { type: 'IHDR', data: header },
    ...layout.colour,
    { type: 'IDAT', data: await deflate(data.subarray(0, height * stride)) },
    { type: 'IEND', data: new Uint8Array() },
  ]);
}
