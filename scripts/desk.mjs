/**
 * `npm run desk -- …`: runs the Desk as plain JavaScript. The TypeScript sources (desk/, and the
 * shared schemas in utils/) are bundled by esbuild into .output/desk/desk.mjs first (~50 ms;
 * dependencies stay in node_modules), so the running service carries no TypeScript loader: under
 * tsx an idle Desk held ~130 MB, bundled ~75 MB (desk.rss10kBytes in `npm run bench`).
 * Plain JavaScript (.mjs) on purpose: this file must run before anything is compiled.
 *
 * package.json runs it with `--max-semi-space-size=4` (MiB; Node's default lets V8's young
 * generation grow to 48 MiB): intake churns through large short-lived request bodies, and with the
 * default the Desk held ~240-270 MB after ingesting 10,000 reports with screenshots, ~200 MB with
 * 4 (`desk.rss10kBytes`; Node documents the flag as exactly this memory/throughput trade-off).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ensureDeskUi } from './desk-ui.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.output', 'desk');
const outfile = join(outDir, 'desk.mjs');
mkdirSync(outDir, { recursive: true });
// Written aside and renamed: several Desks (tests, bench) may start at once.
const temporary = join(outDir, `desk-${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
await build({
  entryPoints: [join(root, 'desk', 'cli', 'main.ts')],
  outfile: temporary,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'error',
});
renameSync(temporary, outfile);
// Serving needs the web interface; the other subcommands (channel, user, export…) do not.
const args = process.argv.slice(2);
const OTHER_COMMANDS = ['channel', 'user', 'export', 'backup'];
if (!args.includes('--help') && !args.some((arg) => OTHER_COMMANDS.includes(arg))) await ensureDeskUi();
// A literal path (the file just written), so the import names no computed module.
const { main } = await import('../.output/desk/desk.mjs');
await main(args);
