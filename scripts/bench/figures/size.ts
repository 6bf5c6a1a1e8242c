import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from '../harness';

const gz = async (file: string) => gzipSync(await readFile(file), { level: 9 }).length;

/** Files an HTML entrypoint loads at start: its scripts, preloaded chunks and stylesheets. */
async function htmlEntryFiles(dir: string, html: string): Promise<string[]> {
  const text = await readFile(join(dir, html), 'utf8');
  const refs = [...text.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  return [html, ...new Set(refs)];
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
