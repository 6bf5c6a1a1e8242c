/**
 * The Desk's intake figures (issue "Flagline Desk, part 1"), each Desk a child process started by
 * its command line, fed over loopback HTTP by this process:
 *
 * - `desk.ingest1000Ms`: 1,000 reports, each with a ~50 KB screenshot, in batches of 50 posted one
 *   after another to a Desk on SQLite (fresh data folder each run): first request → last answer.
 *   `desk.rawInsert1000Ms`: the same bodies to scripts/bench/raw-insert-server.ts, which only
 *   parses and inserts the same rows with the same driver, one transaction per batch. Goal:
 *   ingest ≤ 1.5× raw.
 * - `desk.ingestPerSec.sqlite` / `.postgres`: 5,000 such reports from 4 concurrent senders.
 *   Goal ≥ 500 reports/s.
 * - `desk.rss10kBytes`: the Desk's resident memory right after ingesting 10,000 of them (4
 *   senders), and `desk.rss10kIdleBytes` 12 s later, once V8's memory reducer has run. Goal ≤ 200 MB.
 *
 * Every body is made before its run is timed, so the sender does not compete with the Desk for
 * this machine's two cores.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDatabase, startThrowawayPostgres } from '../../postgres';
import { runCli, serveDesk, type DeskProcess } from '../../../tests/desk/support/child';
import { freePort } from '../../free-port';
import { randomScreenshot, wireReport } from '../../../tests/support/wire-reports';
import { sample, type Figure } from '../harness';

const BATCH = 50;

async function batchBody(size = BATCH): Promise<string> {
  const reports = await Promise.all(
    Array.from({ length: size }, (_, i) =>
      wireReport({ screenshot: randomScreenshot(50_000), explanation: `bench ${i}: 明天全市停水三天的消息是假的`, url: `https://weibo.example/post/${i}` }),
    ),
  );
  return JSON.stringify({ reports });
}

async function post(url: string, token: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"rejected"')) throw new Error(`bench batch not accepted: ${response.status} ${text.slice(0, 300)}`);
}

interface Target {
  flags: string[];
  cleanup(): void;
}

function sqliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'flagline-bench-desk-'));
  return { flags: ['--data', dir], cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function startDeskFor(target: Target): Promise<{ desk: DeskProcess; endpoint: string; token: string }> {
  const port = await freePort();
  const channel = JSON.parse(runCli(['channel', 'create', '--name', 'bench', '--port', String(port), ...target.flags]).stdout) as {
    token: string;
    endpoint: string;
  };
  const desk = await serveDesk(target.flags, port);
  return { desk, endpoint: channel.endpoint, token: channel.token };
}

async function stopDesk(desk: DeskProcess) {
  desk.child.kill('SIGTERM');
  await desk.exited;
}

async function startRawServer(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('scripts/bench/raw-insert-server.ts'), dataDir, '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`raw insert server exited (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) done(Number(match[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/v1/reports`,
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Bodies for `count` reports, all made before any is timed (the sender must not compete for the CPU). */
async function bodiesFor(count: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < count / BATCH; i++) bodies.push(await batchBody());
  return bodies;
}

/** Posts the bodies from `senders` concurrent loops; resolves with the elapsed milliseconds. */
async function ingest(url: string, token: string, bodies: readonly string[], senders: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < bodies.length) await post(url, token, bodies[next++] as string);
    }),
  );
  return performance.now() - start;
}

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

export async function measureDesk(runs = 5): Promise<Figure[]> {
  const ingest1000: number[] = [];
  const raw1000: number[] = [];
  // Interleaved, one of each per run, so a noisy moment hits both.
  await sample(
    runs,
    async () => {
      const bodies = await bodiesFor(1000);
      const target = sqliteTarget();
      const { desk, endpoint, token } = await startDeskFor(target);
      try {
        ingest1000.push(await ingest(endpoint, token, bodies, 1));
      } finally {
        await stopDesk(desk);
        target.cleanup();
      }
      const rawDir = mkdtempSync(join(tmpdir(), 'flagline-bench-raw-'));
      const rawServer = await startRawServer(rawDir);
      try {
        raw1000.push(await ingest(rawServer.url, 'none', bodies, 1));
      } finally {
        await rawServer.stop();
        rmSync(rawDir, { recursive: true, force: true });
      }
      return 0;
    },
    0,
  );

  const SUSTAINED = 5000;
  const perSecond = async (target: () => Promise<Target>) =>
    sample(
      3,
      async () => {
        const bodies = await bodiesFor(SUSTAINED);
        const t = await target();
        const { desk, endpoint, token } = await startDeskFor(t);
        try {
          const ms = await ingest(endpoint, token, bodies, 4);
          return SUSTAINED / (ms / 1000);
        } finally {
          await stopDesk(desk);
          t.cleanup();
        }
      },
      0,
    );
  const sqlitePerSec = await perSecond(() => Promise.resolve(sqliteTarget()));
  const postgres = await startThrowawayPostgres();
  let postgresPerSec: number[];
  try {
    postgresPerSec = await perSecond(async () => ({ flags: ['--database', await createDatabase(postgres.url)], cleanup: () => undefined }));
  } finally {
    await postgres.stop();
  }

  // Resident memory right after the last answer, and again once the Desk has idled long enough
  // for V8's memory reducer to run (it starts some seconds after activity stops).
  const rssAfter: number[] = [];
  const rssIdle: number[] = [];
  await sample(
    3,
    async () => {
      const bodies = await bodiesFor(10_000);
      const target = sqliteTarget();
      const { desk, endpoint, token } = await startDeskFor(target);
      try {
        await ingest(endpoint, token, bodies, 4);
        rssAfter.push(rssBytes(desk.child.pid as number));
        await new Promise((resolve) => setTimeout(resolve, 12_000));
        rssIdle.push(rssBytes(desk.child.pid as number));
        return 0;
      } finally {
        await stopDesk(desk);
        target.cleanup();
      }
    },
    0,
  );

  return [
    { key: 'desk.ingest1000Ms', unit: 'ms', runs: ingest1000, target: '≤ 1.5 × desk.rawInsert1000Ms' },
    { key: 'desk.rawInsert1000Ms', unit: 'ms', runs: raw1000 },
    { key: 'desk.ingestPerSec.sqlite', unit: 'reports/s', runs: sqlitePerSec, target: '≥ 500' },
    { key: 'desk.ingestPerSec.postgres', unit: 'reports/s', runs: postgresPerSec, target: '≥ 500' },
    { key: 'desk.rss10kBytes', unit: 'bytes', runs: rssAfter, target: '≤ 209,715,200' },
    { key: 'desk.rss10kIdleBytes', unit: 'bytes', runs: rssIdle, target: '≤ 209,715,200' },
  ];
}
