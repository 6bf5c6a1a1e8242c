/**
 * The Redact step of the report window, loaded on the first click on Redact (with a prefetch once
 * the form is up): the box tool and the PNG rewriting are not needed to show the form or to
 * report, and would only delay the window's first render.
 */
export { RedactEditor } from '@/components/RedactEditor';
export { redactCapture } from '@/utils/evidence/redact';
export { pngDimensions } from '@/utils/evidence/screenshot';
