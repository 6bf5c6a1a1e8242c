/**
 * The picker's hint is drawn in this colour, at the top of the viewport, for as long as the
 * overlay is on screen. The pick names a band of it (`overlayProbe`) and the background looks
 * for that colour there in the screenshot: found, the overlay was still on screen when Chromium
 * took it (utils/evidence/screenshot.ts `overlayShows`).
 */
export const OVERLAY_PROBE_HEX = '#1b1f24';
export const OVERLAY_PROBE_RGB = [0x1b, 0x1f, 0x24] as const;

/**
 * What the picker script returns to `scripting.executeScript` once its overlay is up. Anything
 * else (a throw on start, no token) means the user got no picker: the popup must say so.
 */
export const PICKER_STARTED = 'flagline-picker-started';
