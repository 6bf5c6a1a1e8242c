import type { PixelRect } from '../evidence/png-crop';

/** The smallest area the box tool makes (image pixels). */
const MIN_SIZE = 4;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** The box the keyboard starts with: a tenth in from the top left, a third wide, a sixth high. */
export function initialArea(image: { width: number; height: number }): PixelRect {
  return {
    x: Math.round(image.width * 0.1),
    y: Math.round(image.height * 0.1),
    width: Math.max(MIN_SIZE, Math.round(image.width * 0.3)),
    height: Math.max(MIN_SIZE, Math.round(image.height * 0.15)),
  };
}

/** One key press's step: a fiftieth of the image's width, at least 2 pixels. */
export const keyStep = (image: { width: number }) => Math.max(2, Math.round(image.width / 50));

/**
 * The box after an arrow key: moved by `step`, or with Shift resized (→ and ↓ grow, ← and ↑
 * shrink); always inside the image and at least MIN_SIZE. Other keys leave it as it is.
 */
export function nudge(rect: PixelRect, key: string, resize: boolean, step: number, image: { width: number; height: number }): PixelRect {
  const dx = key === 'ArrowRight' ? step : key === 'ArrowLeft' ? -step : 0;
  const dy = key === 'ArrowDown' ? step : key === 'ArrowUp' ? -step : 0;
  if (resize) {
    const width = clamp(rect.width + dx, MIN_SIZE, image.width - rect.x);
    const height = clamp(rect.height + dy, MIN_SIZE, image.height - rect.y);
    return { ...rect, width, height };
  }
  return { ...rect, x: clamp(rect.x + dx, 0, image.width - rect.width), y: clamp(rect.y + dy, 0, image.height - rect.height) };
}

/** The box a mouse drag from `a` to `b` (image pixels) spans, inside the image; undefined when too small. */
export function dragArea(a: { x: number; y: number }, b: { x: number; y: number }, image: { width: number; height: number }): PixelRect | undefined {
  const x0 = clamp(Math.round(Math.min(a.x, b.x)), 0, image.width);
  const y0 = clamp(Math.round(Math.min(a.y, b.y)), 0, image.height);
  const x1 = clamp(Math.round(Math.max(a.x, b.x)), 0, image.width);
  const y1 = clamp(Math.round(Math.max(a.y, b.y)), 0, image.height);
  return x1 - x0 >= MIN_SIZE && y1 - y0 >= MIN_SIZE ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}
