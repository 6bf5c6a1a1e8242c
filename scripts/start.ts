/**
 * `npm start`: builds the extension with the bundled reference receiver as its default endpoint,
 * starts the receiver, and opens Chromium with the extension loaded on a demo page and the
 * receiver's page. Report a post and watch it arrive. Ctrl+C stops everything.
 *
 *   FLAGLINE_PORT=8787   port of the receiver (and of the embedded default endpoint)
 *   CHROMIUM_PATH=…      which Chromium to use (see scripts/chromium.ts)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromiumArgs, findChromium } from './chromium';
import { REPORTS_PATH, startReceiver, type Receiver } from './receiver/server';

const port = Number(process.env.FLAGLINE_PORT ?? 8787);
const endpoint = `http://127.0.0.1:${port}${REPORTS_PATH}`;
const extensionDir = resolve('.output/chrome-mv3');
const profileDir = resolve('.output/start-profile');

let chromiumPath: string;
try {
  chromiumPath = findChromium().path;
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

console.log(`Building the extension (default endpoint ${endpoint})…`);
const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit', env: { ...process.env, WXT_DEFAULT_ENDPOINT: endpoint } });
if (build.status !== 0) process.exit(build.status ?? 1);

let receiver: Receiver;
try {
  receiver = await startReceiver({ port, dataFile: resolve('.output/receiver/reports.json') });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} is already in use (is another \`npm start\` running?). Stop it, or run with FLAGLINE_PORT=<free port>.`);
    process.exit(1);
  }
  throw error;
}

await mkdir(profileDir, { recursive: true });
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const args = [
  ...chromiumArgs(extensionDir),
  `--user-data-dir=${profileDir}`,
  ...(hasDisplay ? [] : ['--headless', '--remote-debugging-port=0']),
  `${receiver.url}/demo`,
  // Headless Chromium opens a single page only.
  ...(hasDisplay ? [`${receiver.url}/`] : []),
];
const browser = spawn(chromiumPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
browser.stderr.on('data', (chunk: Buffer) => {
  if (process.env.FLAGLINE_VERBOSE) process.stderr.write(chunk);
});

console.log(`
Flagline is running.
  Chromium:          ${chromiumPath}${hasDisplay ? '' : ' (headless: no display found, so no window opens)'}
  Extension:         ${extensionDir}
  Demo page:         ${receiver.url}/demo
  Received reports:  ${receiver.url}/
  Endpoint:          ${endpoint}

On the demo page, click the Flagline button in the toolbar (puzzle-piece menu → pin Flagline),
choose a category and press "Submit report"; the report appears on the receiver's page.
Press Ctrl+C to stop.`);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  browser.kill();
  await receiver.close();
  process.exit(code);
}
browser.on('exit', (code) => {
  if (!stopping) console.log(`Chromium exited${code ? ` with code ${code}` : ''}; stopping the receiver.`);
  void stop(0);
});
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
