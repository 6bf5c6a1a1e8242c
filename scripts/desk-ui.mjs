/**
 * The Desk's web interface, built when absent or older than its sources: `npm run desk`,
 * `npm start`, the Desk's tests and the bench call `ensureDeskUi()`, so a fresh clone serves it
 * without a separate step and an edit to desk/ui/ shows on the next start.
 * `npm run build:desk-ui` builds it unconditionally.
 * Plain JavaScript (.mjs): scripts/desk.mjs runs it before anything is compiled.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DESK_UI_DIR = join(root, '.output', 'desk-ui');

/** What the bundle is made of: the interface, the API contract and the shared schemas, catalogues and builders. */
const SOURCES = ['desk/ui', 'desk/api/contract.ts', 'utils', 'public/_locales'];

function newestChange(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function upToDate() {
  const built = statSync(join(DESK_UI_DIR, 'index.html'), { throwIfNoEntry: false });
  return built !== undefined && SOURCES.every((source) => newestChange(join(root, source)) <= built.mtimeMs);
}

export async function ensureDeskUi() {
  if (upToDate()) return;
  // Built aside and swapped in: several Desks (tests, bench) may start at once.
  const aside = `${DESK_UI_DIR}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'desk', 'ui', 'vite.config.ts'), logLevel: 'warn', build: { outDir: aside } });
  if (upToDate()) {
    // Another process finished first.
    rmSync(aside, { recursive: true, force: true });
    return;
  }
  const old = `${aside}-old`;
  if (existsSync(DESK_UI_DIR)) renameSync(DESK_UI_DIR, old);
  try {
    renameSync(aside, DESK_UI_DIR);
  } catch {
    rmSync(aside, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}
