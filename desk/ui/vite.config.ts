import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The Desk's web interface: `npm run build:desk-ui` writes it to .output/desk-ui, which the Desk
 * serves at `/` (desk/http/static.ts). Everything is a file of its own (no inline script or
 * style), so the strict Content-Security-Policy the Desk sends holds.
 */
export const DESK_UI_OUT_DIR = fileURLToPath(new URL('../../.output/desk-ui', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact()],
  // The repository's .env files configure the extension's build, not this one.
  envDir: false,
  build: {
    outDir: DESK_UI_OUT_DIR,
    emptyOutDir: true,
    assetsDir: 'assets',
    // Inlined assets would be data: URLs in a stylesheet or script: keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // zod 4 places `@__PURE__` comments where Rollup cannot use them; Rollup says so for each
      // one and drops the comment, which changes nothing in the bundle but buries real warnings.
      onLog(level, log, handler) {
        if (log.code !== 'INVALID_ANNOTATION') handler(level, log);
      },
    },
  },
});
