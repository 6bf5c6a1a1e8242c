/**
 * The Desk's web interface, built when absent: `npm run desk`, `npm start` and the Desk's tests
 * call `ensureDeskUi()` so a fresh clone serves it without a separate step. After changing
 * desk/ui/, rebuild with `npm run build:desk-ui` (this only builds what is missing).
 * Plain JavaScript (.mjs): scripts/desk.mjs runs it before anything is compiled.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DESK_UI_DIR = join(root, '.output', 'desk-ui');

export async function ensureDeskUi() {
  if (existsSync(join(DESK_UI_DIR, 'index.html'))) return;
  // Built aside and renamed: several Desks (tests, bench) may start at once; the first one wins.
  const aside = `${DESK_UI_DIR}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'desk', 'ui', 'vite.config.ts'), logLevel: 'warn', build: { outDir: aside } });
  try {
    renameSync(aside, DESK_UI_DIR);
  } catch {
    rmSync(aside, { recursive: true, force: true });
  }
}
