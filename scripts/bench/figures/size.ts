import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from '../harness';

const gz = async (file: string) => gzipSync(await readFile(file), { level: 9 }).length;

/** Relative module specifiers of a built chunk: static `import`/`export … from`, and `import()`. */
function moduleRefs(code: string): { static: string[]; dynamic: string[] } {
  const staticRefs = [...code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{][^"'()]*?from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)].map(
    (m) => m[1] as string,
  );
  const dynamicRefs = [...code.matchAll(/\bimport\(\s*["'](\.{1,2}\/[^"']+\.js)["']\s*\)/g)].map((m) => m[1] as string);
  return { static: staticRefs, dynamic: dynamicRefs };
}

/** Every file reachable from `start` through static imports (the chunks a module waits for before it runs). */
async function staticClosure(dir: string, start: string[], seen: Set<string>): Promise<string[]> {
  const found: string[] = [];
  const queue = [...start];
  while (queue.length) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    found.push(file);
    if (!file.endsWith('.js')) continue;
    const refs = moduleRefs(await readFile(join(dir, file), 'utf8'));
    queue.push(...refs.static.map((ref) => posix.join(posix.dirname(file), ref)));
  }
  return found;
}

/** Dynamic imports made by `files` (relative to the build directory). */
async function dynamicRefs(dir: string, files: readonly string[]): Promise<string[]> {
  const refs: string[] = [];
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    refs.push(...moduleRefs(await readFile(join(dir, file), 'utf8')).dynamic.map((ref) => posix.join(posix.dirname(file), ref)));
  }
  return refs;
}

/**
 * What an HTML entrypoint loads. `startup`: the HTML, its stylesheets, module scripts and
 * preloaded chunks, and every module those import statically — everything the page waits for
 * before its first screen. With `entryImportsStartup` the modules its entry scripts import
 * dynamically count too: the workspace's and the popup's tiny entry scripts `import()` their whole
 * start-up code at once (entrypoints/workspace/main.tsx, entrypoints/popup/main.tsx). `lazy`: what the page may load later (a dynamic
 * `import()` from any module, and what that imports), on a click or once there is something to
 * show — the popup's hand-off catalogue, say.
 */
async function htmlEntryFiles(dir: string, html: string, entryImportsStartup: boolean): Promise<{ startup: string[]; lazy: string[] }> {
  const text = await readFile(join(dir, html), 'utf8');
  const refs = [...text.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  const entries = [...text.matchAll(/<script type="module"[^>]*src="\/?([^"]+\.js)"/g)].map((m) => m[1] as string);
  const seen = new Set<string>([html]);
  const startup = [html, ...(await staticClosure(dir, refs, seen))];
  if (entryImportsStartup) startup.push(...(await staticClosure(dir, await dynamicRefs(dir, entries), seen)));
  const lazy: string[] = [];
  for (let next = await dynamicRefs(dir, startup); next.length;) {
    const found = await staticClosure(dir, next, seen);
    lazy.push(...found);
    next = await dynamicRefs(dir, found);
  }
  return { startup, lazy };
}

const sum = async (dir: string, files: readonly string[]) => {
  let total = 0;
  for (const file of files) total += await gz(join(dir, file));
  return total;
};

/**
 * Gzipped size of what each entrypoint of the production build loads: `size.<entry>.gzBytes`
 * before its first screen (HTML, CSS and JS), `size.<entry>.jsGzBytes` the JS of that (issue 19:
 * popup ≤ 40 KB), and `size.<entry>.lazyGzBytes` what it may load later with `import()`.
 */
export async function measureSizes(dir = '.output/chrome-mv3'): Promise<Figure[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const figures: Figure[] = [];
  const background = await staticClosure(dir, [manifest.background.service_worker], new Set());
  figures.push({ key: 'size.background.gzBytes', unit: 'bytes', runs: [await sum(dir, background)] });
  for (const [name, html, entryImportsStartup] of [
    ['popup', manifest.action?.default_popup, true],
    ['options', manifest.options_ui?.page, false],
    ['workspace', 'workspace.html', true],
    // The report window (issue 19): its first screen is the form; the rest loads right after.
    ['report', 'report.html', false],
  ] as const) {
    if (!html) continue;
    const { startup, lazy } = await htmlEntryFiles(dir, html, entryImportsStartup);
    figures.push(
      { key: `size.${name}.gzBytes`, unit: 'bytes', runs: [await sum(dir, startup)] },
      {
        key: `size.${name}.jsGzBytes`,
        unit: 'bytes',
        runs: [
          await sum(
            dir,
            startup.filter((file) => file.endsWith('.js')),
          ),
        ],
        ...(name === 'popup' ? { target: '≤ 40960' } : {}),
      },
      { key: `size.${name}.lazyGzBytes`, unit: 'bytes', runs: [await sum(dir, lazy)] },
    );
  }
  return figures;
}
