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

/**
 * Files an HTML entrypoint loads before its first screen: the HTML, its stylesheets, module
 * scripts and preloaded chunks, every module those import statically, and the modules its entry
 * scripts import dynamically — the workspace's tiny entry script `import()`s its whole start-up
 * code at once (entrypoints/workspace/main.tsx). Dynamic imports made from other modules run on
 * a click or after the first render, and are not counted.
 */
async function htmlEntryFiles(dir: string, html: string): Promise<string[]> {
  const text = await readFile(join(dir, html), 'utf8');
  const refs = [...text.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  const entries = new Set([...text.matchAll(/<script type="module"[^>]*src="\/?([^"]+\.js)"/g)].map((m) => m[1] as string));
  const files = new Set<string>([html]);
  const queue = [...refs];
  while (queue.length) {
    const file = queue.shift() as string;
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.js')) continue;
    const found = moduleRefs(await readFile(join(dir, file), 'utf8'));
    const next = entries.has(file) ? [...found.static, ...found.dynamic] : found.static;
    queue.push(...next.map((ref) => posix.join(posix.dirname(file), ref)));
  }
  return [...files];
}

/** Gzipped size of what each entrypoint of the production build loads (`size.<entry>.gzBytes`). */
export async function measureSizes(dir = '.output/chrome-mv3'): Promise<Figure[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const entries: Record<string, string[]> = { background: [manifest.background.service_worker] };
  for (const [name, html] of [
    ['popup', manifest.action?.default_popup],
    ['options', manifest.options_ui?.page],
    ['workspace', 'workspace.html'],
  ] as const) {
    if (html) entries[name] = await htmlEntryFiles(dir, html);
  }
  const figures: Figure[] = [];
  for (const [name, files] of Object.entries(entries)) {
    let total = 0;
    for (const file of files) total += await gz(join(dir, file));
    figures.push({ key: `size.${name}.gzBytes`, unit: 'bytes', runs: [total] });
  }
  return figures;
}
