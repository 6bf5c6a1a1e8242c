import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const SLOT = '<div id="app"></div>';

/**
 * Puts the popup's first screen into popup.html at build time, so the form is on screen with the
 * page's first paint instead of after its scripts (issue 19, `popup.readyMs`). The markup comes
 * from the popup's own view, rendered by a child Node process with tsx (the config itself is not
 * compiled with the project's JSX settings).
 */
export function popupFirstScreen(): Plugin {
  let markup: string | undefined;
  return {
    name: 'flagline-popup-first-screen',
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        if (!context.filename.replace(/\\/g, '/').endsWith('entrypoints/popup/index.html')) return html;
        if (!html.includes(SLOT)) throw new Error(`entrypoints/popup/index.html: no ${SLOT} for the first screen`);
        markup ??= execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./print.ts', import.meta.url))], {
          encoding: 'utf8',
        });
        return html.replace(SLOT, `<div id="app">${markup}</div>`);
      },
    },
  };
}
