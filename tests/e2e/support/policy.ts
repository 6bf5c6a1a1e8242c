import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { E2E_BUILD } from './extension';

/**
 * Real Chromium managed policy for e2e tests. Debian's Chromium reads
 * `/etc/chromium/policies/managed/*.json` (Google Chrome reads /etc/opt/chrome/…, and
 * Playwright's bundled Chromium neither), so these tests name that binary explicitly.
 *
 * Other engineers' browsers run on this machine at the same time and read the same folder, so a
 * policy file here carries ONLY `3rdparty.extensions.<our id>`: never a browser-wide policy.
 * Each test loads its own copy of the e2e build from a fresh folder, so its extension id (which
 * Chromium derives from the unpacked extension's absolute path) is unique to that test: no other
 * browser — not even a parallel test of this project — picks up its policy.
 */
export const POLICY_CHROMIUM = process.env.CHROMIUM_POLICY_PATH ?? '/usr/bin/chromium';
export const MANAGED_POLICY_DIR = process.env.CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, 32 hex digits mapped 0-f → a-p. */
export function unpackedExtensionId(absolutePath: string): string {
  const hex = createHash('sha256').update(absolutePath).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode('a'.charCodeAt(0) + Number.parseInt(digit, 16))).join('');
}

const live = new Set<string>();
// Last resort if a test process dies between writing and removing (fixtures remove them normally).
process.once('exit', () => {
  for (const path of live) rmSync(path, { recursive: true, force: true });
});

export interface PolicyBrowserSetup {
  extensionDir: string;
  extensionId: string;
  policyFile: string;
  /** Replaces the policy (the browser sees it at launch, or after "Reload policies"). */
  write(policy: Record<string, unknown>): void;
  remove(): void;
}

/** Copies the e2e build to a unique folder and writes a policy file for its id. */
export function preparePolicyBrowser(policy: Record<string, unknown>): PolicyBrowserSetup {
  const extensionDir = realpathSync(mkdtempSync(join(tmpdir(), 'flagline-policy-ext-')));
  live.add(extensionDir);
  cpSync(E2E_BUILD, extensionDir, { recursive: true });
  const extensionId = unpackedExtensionId(extensionDir);
  mkdirSync(MANAGED_POLICY_DIR, { recursive: true });
  const policyFile = join(MANAGED_POLICY_DIR, `flagline-e2e-${basename(resolve('.'))}-${process.pid}-${extensionId}.json`);
  live.add(policyFile);
  const write = (next: Record<string, unknown>) => {
    writeFileSync(policyFile, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: next } } }, null, 2));
  };
  write(policy);
  return {
    extensionDir,
    extensionId,
    policyFile,
    write,
    remove() {
      rmSync(policyFile, { force: true });
      rmSync(extensionDir, { recursive: true, force: true });
      live.delete(policyFile);
      live.delete(extensionDir);
    },
  };
}

export const policyChromiumAvailable = () => existsSync(POLICY_CHROMIUM);
