import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FIREFOX_E2E_BUILD } from './firefox';

/**
 * A real Firefox enterprise policy for e2e tests. Debian's firefox-esr (like Mozilla's Linux
 * builds) reads `/etc/firefox/policies/policies.json` at startup — tried on this machine: not
 * `/etc/firefox-esr/…`; without the /etc file it reads `distribution/policies.json` next to the
 * binary. Firefox passes `policies["3rdparty"].Extensions[<add-on id>]` to that add-on as
 * `storage.managed`.
 *
 * The file is machine-wide, so the test installs a copy of the e2e build under an add-on id of its
 * own and adds only `3rdparty.Extensions.<that id>` to whatever the file held; `remove()` puts the
 * file back as it was (or deletes it, and the folder, when the test made them).
 */
export const FIREFOX_POLICY_FILE = process.env.FIREFOX_POLICY_FILE ?? '/etc/firefox/policies/policies.json';

export interface FirefoxPolicySetup {
  extensionDir: string;
  addonId: string;
  /** Replaces this add-on's policy (Firefox reads it at its next start). */
  write(policy: Record<string, unknown>): void;
  remove(): void;
}

const cleanups = new Set<() => void>();
process.once('exit', () => {
  for (const cleanup of cleanups) cleanup();
});

export function prepareFirefoxPolicy(policy: Record<string, unknown>): FirefoxPolicySetup {
  const extensionDir = mkdtempSync(join(tmpdir(), 'flagline-ff-policy-ext-'));
  cpSync(FIREFOX_E2E_BUILD, extensionDir, { recursive: true });
  const addonId = `flagline-e2e-${process.pid}-${Date.now()}@flagline.app`;
  const manifestPath = join(extensionDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.browser_specific_settings.gecko.id = addonId;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

  const folder = dirname(FIREFOX_POLICY_FILE);
  // The folders this test makes (innermost first), to take away again.
  const made: string[] = [];
  for (let dir = folder; !existsSync(dir); dir = dirname(dir)) made.push(dir);
  const original = existsSync(FIREFOX_POLICY_FILE) ? readFileSync(FIREFOX_POLICY_FILE, 'utf8') : undefined;
  const write = (next: Record<string, unknown>) => {
    const file = original ? JSON.parse(original) : {};
    file.policies ??= {};
    file.policies['3rdparty'] ??= {};
    file.policies['3rdparty'].Extensions ??= {};
    file.policies['3rdparty'].Extensions[addonId] = next;
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(FIREFOX_POLICY_FILE, JSON.stringify(file, null, 2));
    } catch (error) {
      throw new Error(
        `cannot write ${FIREFOX_POLICY_FILE} (${(error as Error).message}): run the Firefox tests as root, or set ` +
          'FIREFOX_POLICY_FILE to a policies.json your Firefox reads (the distribution/ folder of a Firefox you own)',
        { cause: error },
      );
    }
  };
  const remove = () => {
    cleanups.delete(remove);
    if (original !== undefined) writeFileSync(FIREFOX_POLICY_FILE, original);
    else {
      rmSync(FIREFOX_POLICY_FILE, { force: true });
      try {
        for (const dir of made) rmdirSync(dir);
      } catch {
        // not empty: someone else's files
      }
    }
    rmSync(extensionDir, { recursive: true, force: true });
  };
  cleanups.add(remove);
  write(policy);
  return { extensionDir, addonId, write, remove };
}
