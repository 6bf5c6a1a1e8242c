/**
 * `npm start`: starts a Flagline Desk on SQLite in .output/desk-data with a demo channel, builds
 * the extension with that channel's endpoint and token as its default, and opens Chromium with the
 * extension loaded on a demo page of sample posts. Report a post and watch it arrive in this
 * console. Ctrl+C stops everything.
 *
 *   FLAGLINE_PORT=8787   port of the Desk (and of the embedded default endpoint)
 *   CHROMIUM_PATH=…      which Chromium to use (see scripts/chromium.ts)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { prepareSetup } from '../desk/auth/setup';
import { channelForToken, createChannel } from '../desk/store/channels';
import { openDatabase, type DeskDb } from '../desk/store/engine';
import { REPORTS_PATH, startDesk, type RunningDesk } from '../desk/server';
import { chromiumArgs, findChromium } from './chromium';
import { ensureDeskUi } from './desk-ui.mjs';
import { renderDemoPage } from './demo/page';

const port = Number(process.env.FLAGLINE_PORT ?? 8787);
const endpoint = `http://127.0.0.1:${port}${REPORTS_PATH}`;
const dataDir = resolve('.output/desk-data');
const demoChannelFile = resolve(dataDir, 'demo-channel.json');
const extensionDir = resolve('.output/chrome-mv3');
const profileDir = resolve('.output/start-profile');

let chromiumPath: string;
try {
  chromiumPath = findChromium().path;
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

/** The demo channel's token is shown once by the Desk, so `npm start` keeps it for next time. */
async function demoChannelToken(db: DeskDb): Promise<string> {
  const saved = await readFile(demoChannelFile, 'utf8').then(
    (text) => z.object({ token: z.string() }).safeParse(JSON.parse(text)),
    () => undefined,
  );
  if (saved?.success && (await channelForToken(db, saved.data.token))) return saved.data.token;
  const created = await createChannel(db, { name: 'npm start demo' });
  await writeFile(demoChannelFile, JSON.stringify({ id: created.id, token: created.token }), { mode: 0o600 });
  return created.token;
}

await mkdir(dataDir, { recursive: true });
const db = await openDatabase({ kind: 'sqlite', dataDir });
const token = await demoChannelToken(db);

console.log(`Building the extension (default endpoint ${endpoint}, the local Desk's demo channel)…`);
const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit', env: { ...process.env, WXT_DEFAULT_ENDPOINT: endpoint, WXT_DEFAULT_TOKEN: token } });
if (build.status !== 0) process.exit(build.status ?? 1);

// The Desk's web interface (sign in, queue, report view) at the Desk's own address.
await ensureDeskUi();

let desk: RunningDesk;
try {
  desk = await startDesk({
    db,
    port,
    onStored: (results) => {
      for (const result of results)
        console.log(
          `Desk: report ${result.id} ${result.status}${result.receipt ? ` (receipt ${result.receipt})` : ''}${result.reason ? `: ${result.reason}` : ''}`,
        );
    },
  });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} is already in use (is another \`npm start\` running?). Stop it, or run with FLAGLINE_PORT=<free port>.`);
    process.exit(1);
  }
  throw error;
}

// The demo posts live on a page of their own, not on the Desk: the Desk serves only the protocol.
const demoServer = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
  response.end(renderDemoPage());
});
await new Promise<void>((done) => demoServer.listen(0, '127.0.0.1', done));
const demoUrl = `http://127.0.0.1:${(demoServer.address() as AddressInfo).port}/demo`;

await mkdir(profileDir, { recursive: true });
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const args = [...chromiumArgs(extensionDir), `--user-data-dir=${profileDir}`, ...(hasDisplay ? [] : ['--headless', '--remote-debugging-port=0']), demoUrl];
const browser = spawn(chromiumPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
browser.stderr.on('data', (chunk: Buffer) => {
  if (process.env.FLAGLINE_VERBOSE) process.stderr.write(chunk);
});

// The same one-time link `npm run desk` prints while the Desk has no admin (desk/auth/setup.ts).
const setupToken = await prepareSetup(db);
const reviewersLine = setupToken
  ? `  Reviewers:   create the first admin at ${desk.url}/setup#${setupToken} (once), then sign in at ${desk.url}/`
  : `  Reviewers:   sign in at ${desk.url}/`;

console.log(`
Flagline is running.
  Chromium:    ${chromiumPath}${hasDisplay ? '' : ' (headless: no display found, so no window opens)'}
  Extension:   ${extensionDir}
  Demo page:   ${demoUrl}
  Desk:        ${desk.url} (SQLite in ${dataDir})
${reviewersLine}
  Endpoint:    ${endpoint}

On the demo page, click the Flagline button in the toolbar (puzzle-piece menu → pin Flagline),
choose a category and press "Submit report"; this console says when the Desk has stored it.
Everything the Desk holds: npm run --silent desk -- export --data ${dataDir}
Press Ctrl+C to stop.`);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  browser.kill();
  demoServer.close();
  await desk.close();
  await db.destroy();
  process.exit(code);
}
browser.on('exit', (code) => {
  if (!stopping) console.log(`Chromium exited${code ? ` with code ${code}` : ''}; stopping the Desk.`);
  void stop(0);
});
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
