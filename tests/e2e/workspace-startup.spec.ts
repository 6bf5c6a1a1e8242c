import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRODUCTION_BUILD } from './support/extension';

/**
 * Every module file the workspace page loads before its first render: its HTML's module script and
 * modulepreloads, and everything those import statically (a dynamic `import()` is not followed).
 */
async function startupModules(dir: string, page: string, { scriptOnly = false } = {}): Promise<Map<string, string>> {
  const html = await readFile(join(dir, page), 'utf8');
  const tags = scriptOnly
    ? /<script type="module"[^>]*src="\/([^"]+\.js)"/g
    : /<(?:script type="module"|link rel="modulepreload")[^>]*(?:src|href)="\/([^"]+\.js)"/g;
  const queue = [...html.matchAll(tags)].map((m) => m[1] as string);
  const files = new Map<string, string>();
  while (queue.length) {
    const file = queue.shift() as string;
    if (files.has(file)) continue;
    const code = await readFile(join(dir, file), 'utf8');
    files.set(file, code);
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{][^"']*?from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(join('chunks', m[1] as string));
  }
  return files;
}

test.describe('what the workspace loads before its first rows (workspace.render10kMs)', () => {
  test('its first modules leave out the schema library, which only the code run after the first render needs', async () => {
    const files = await startupModules(PRODUCTION_BUILD, 'workspace.html');
    expect([...files.keys()].some((f) => /workspace-/.test(f))).toBe(true);
    // zod's own type names survive minification as strings.
    expect([...files].filter(([, code]) => code.includes('$ZodType')).map(([file]) => file)).toEqual([]);
  });

  test('its first read starts in a script that does not wait for Dexie and the workspace code to load', async () => {
    const files = await startupModules(PRODUCTION_BUILD, 'workspace.html', { scriptOnly: true });
    const code = [...files.values()].join('\n');
    // utils/workspace/first-read.ts, with IndexedDB itself.
    expect(code).toContain('getAllRecords');
    expect([...files].filter(([, text]) => text.includes('Dexie')).map(([file]) => file)).toEqual([]);
  });
});
