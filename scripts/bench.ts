/**
 * `npm run bench`: builds if needed, measures each figure several times, prints a table of
 * medians and writes `.output/bench.json` as `{ figures: { <key>: { median, unit, runs } } }`.
 * Figures are never asserted in tests: these machines are shared and noisy.
 *
 *   npm run bench -- popup size   measure only the named groups
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { buildIfNeeded, printTable, toJson, type Figure } from './bench/harness';
import { measureDelivery } from './bench/figures/delivery';
import { measurePopup } from './bench/figures/popup';
import { measureSizes } from './bench/figures/size';
import { measureWorkspace } from './bench/figures/workspace';
import { measurePicker } from './bench/figures/picker';
import { measureFirstPick } from './bench/figures/first-pick';
import { measureDesk } from './bench/figures/desk';
import { measureDeskQueue } from './bench/figures/desk-queue';
import { measureDeskUi } from './bench/figures/desk-ui';
import { measureHandoff } from './bench/figures/handoff';
import { measureStatus } from './bench/figures/status';

const GROUPS: Record<string, () => Promise<Figure[]>> = {
  size: () => measureSizes(),
  popup: () => measurePopup(),
  delivery: () => measureDelivery(),
  workspace: () => measureWorkspace(),
  picker: () => measurePicker(),
  firstpick: () => measureFirstPick(),
  desk: () => measureDesk(),
  'desk-queue': () => measureDeskQueue(),
  'desk-ui': () => measureDeskUi(),
  handoff: () => measureHandoff(),
  status: () => measureStatus(),
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
for (const name of wanted) if (!GROUPS[name]) throw new Error(`unknown bench group ${name}; known: ${Object.keys(GROUPS).join(', ')}`);

// The Desk's figures need no extension build.
if (!(wanted.length > 0 && wanted.every((name) => name.startsWith('desk')))) {
  buildIfNeeded('production');
  buildIfNeeded('e2e');
  buildIfNeeded('e2e-capture');
}

const figures: Figure[] = [];
for (const [name, measure] of Object.entries(GROUPS)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`Measuring ${name}…`);
  figures.push(...(await measure()));
}

printTable(figures);
await mkdir('.output', { recursive: true });
await writeFile('.output/bench.json', `${JSON.stringify(toJson(figures), null, 2)}\n`);
console.log('\nWritten to .output/bench.json');
