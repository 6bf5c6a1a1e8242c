import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export interface ChromiumLocation {
  path: string;
  source: 'CHROMIUM_PATH' | 'PATH' | 'playwright';
}

export const CHROMIUM_INSTALL_HELP = [
  'No Chromium was found. Flagline needs a Chromium-based browser that loads unpacked extensions.',
  '  Debian/Ubuntu:  sudo apt-get install chromium',
  '  Elsewhere:      npx playwright install chromium',
  '  Or point CHROMIUM_PATH at a Chromium binary (branded Google Chrome ignores --load-extension).',
].join('\n');

function onPath(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds a Chromium in the order ENVIRONMENT.md gives: the CHROMIUM_PATH variable, `chromium` on
 * PATH (Debian's package), then Playwright's own download (for developers on other machines).
 */
export function findChromium(): ChromiumLocation {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but there is no file there.\n${CHROMIUM_INSTALL_HELP}`);
    return { path: fromEnv, source: 'CHROMIUM_PATH' };
  }
  for (const name of ['chromium', 'chromium-browser']) {
    const found = onPath(name);
    if (found) return { path: found, source: 'PATH' };
  }
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return { path: bundled, source: 'playwright' };
  throw new Error(CHROMIUM_INSTALL_HELP);
}

/** Flags every Flagline launch uses (ENVIRONMENT.md "Browser tests"). */
export function chromiumArgs(extensionDir: string): string[] {
  return [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
  ];
}
