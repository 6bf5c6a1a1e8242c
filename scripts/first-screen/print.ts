/**
 * Prints the popup's first screen (render.tsx) for the build, which puts it into popup.html
 * (vite-plugin.ts). Run by Node with tsx, which compiles the
 * popup's own components.
 */
import { renderPopupFirstScreen } from './render';

process.stdout.write(renderPopupFirstScreen());
