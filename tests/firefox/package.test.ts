import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import { FIREFOX_TESTED_VERSION } from '../../wxt.config';
import { FIREFOX_CAPTURE_BUILD, FIREFOX_E2E_BUILD, FIREFOX_PRODUCTION_BUILD, findFirefox } from './support/firefox';

/** What addons.mozilla.org gets (`npm run zip:firefox`), and what separates it from the test builds. */

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const ADDON_ZIP = resolve(`.output/flagline-${version}-firefox.zip`);
const SOURCES_ZIP = resolve(`.output/flagline-${version}-sources.zip`);

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

describe('Firefox packaging', () => {
  test('the production manifest: stable id, the tested Firefox as minimum, data consent declared, no host access, an event page', () => {
    const manifest = manifestOf(FIREFOX_PRODUCTION_BUILD);
    assert.equal(manifest.manifest_version, 3);
    assert.equal(manifest.browser_specific_settings.gecko.id, 'flagline@flagline.app');
    assert.equal(manifest.browser_specific_settings.gecko.strict_min_version, FIREFOX_TESTED_VERSION);
    assert.deepEqual(manifest.browser_specific_settings.gecko.data_collection_permissions, {
      required: ['browsingActivity', 'websiteContent', 'personallyIdentifyingInfo'],
    });
    assert.equal(manifest.host_permissions, undefined);
    assert.ok(!JSON.stringify(manifest).includes('<all_urls>'));
    assert.deepEqual(manifest.permissions, ['storage', 'alarms', 'activeTab', 'scripting', 'contextMenus']);
    assert.equal(manifest.content_scripts, undefined);
    assert.deepEqual(manifest.background, { scripts: ['background.js'] });
    // Firefox ignores Chromium's managed_schema; policies.json needs none.
    assert.equal(manifest.storage, undefined);
  });

  test('the Firefox this suite runs is at least strict_min_version', () => {
    const out = execFileSync(findFirefox(), ['--version'], { encoding: 'utf8' });
    const [major, minor] = (/(\d+)\.(\d+)/.exec(out) ?? []).slice(1).map(Number) as [number, number];
    const [minMajor, minMinor] = FIREFOX_TESTED_VERSION.split('.').map(Number) as [number, number];
    assert.ok(major > minMajor || (major === minMajor && minor >= minMinor), `${out.trim()} < ${FIREFOX_TESTED_VERSION}`);
  });

  test('the e2e builds differ from production only by host access, and only they open the harness entry page', () => {
    const production = manifestOf(FIREFOX_PRODUCTION_BUILD);
    const { host_permissions: loopback, ...e2e } = manifestOf(FIREFOX_E2E_BUILD);
    const { host_permissions: all, ...capture } = manifestOf(FIREFOX_CAPTURE_BUILD);
    assert.deepEqual(loopback, ['http://127.0.0.1/*', 'http://localhost/*']);
    assert.deepEqual(all, ['<all_urls>']);
    assert.deepEqual(e2e, production);
    assert.deepEqual(capture, production);
    const background = (dir: string) => readFileSync(join(dir, 'background.js'), 'utf8');
    assert.ok(background(FIREFOX_E2E_BUILD).includes('e2e-entry'));
    for (const file of filesUnder(FIREFOX_PRODUCTION_BUILD).filter((f) => f.endsWith('.js'))) {
      assert.ok(!readFileSync(join(FIREFOX_PRODUCTION_BUILD, file), 'utf8').includes('e2e-entry'), file);
    }
  });

  test('zip:firefox: the add-on zip is the production build, and the sources zip rebuilds it byte for byte', () => {
    const addon = unzipSync(new Uint8Array(readFileSync(ADDON_ZIP)));
    const built = filesUnder(FIREFOX_PRODUCTION_BUILD).sort();
    assert.deepEqual(
      Object.keys(addon)
        .filter((name) => !name.endsWith('/'))
        .sort(),
      built,
    );
    for (const name of built) assert.ok(Buffer.from(addon[name]!).equals(readFileSync(join(FIREFOX_PRODUCTION_BUILD, name))), name);

    const sources = unzipSync(new Uint8Array(readFileSync(SOURCES_ZIP)));
    const names = Object.keys(sources);
    for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'README.md', 'entrypoints/background.ts']) {
      assert.ok(names.includes(needed), `sources zip lacks ${needed}`);
    }
    assert.ok(!names.some((n) => /^(node_modules|\.output|\.wxt|desk)\//.test(n) || n.includes('/node_modules/')), 'no dependencies, outputs or Desk');

    // A reviewer's build: the sources, this checkout's installed dependencies, `wxt build -b firefox --mv3`.
    const root = mkdtempSync(join(tmpdir(), 'flagline-amo-'));
    try {
      for (const [name, bytes] of Object.entries(sources)) {
        if (name.endsWith('/')) continue;
        mkdirSync(dirname(join(root, name)), { recursive: true });
        writeFileSync(join(root, name), bytes);
      }
      symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'dir');
      execFileSync(resolve('node_modules/.bin/wxt'), ['build', '-b', 'firefox', '--mv3'], { cwd: root, stdio: 'pipe' });
      const rebuilt = join(root, '.output/firefox-mv3');
      assert.deepEqual(filesUnder(rebuilt).sort(), built);
      for (const name of built)
        assert.ok(
          readFileSync(join(rebuilt, name)).equals(readFileSync(join(FIREFOX_PRODUCTION_BUILD, name))),
          `${name} differs when built from the sources zip`,
        );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
