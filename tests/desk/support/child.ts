/** The Desk's command line as a child process, the way operators and `npm start` run it. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** What `npm run desk` runs (package.json), without npm's own start-up. */
const NODE_ARGS = ['--max-semi-space-size=4', resolve('scripts/desk.mjs')];

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string): CliResult {
  const result = spawnSync(process.execPath, [...NODE_ARGS, ...args], { encoding: 'utf8', input, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface DeskProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Everything it printed on stdout so far. */
  stdout(): string;
}

/** Starts `desk serve` and resolves once `/healthz` answers. */
export async function serveDesk(args: string[], port: number, timeoutMs = 30_000): Promise<DeskProcess> {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`desk exited early: ${stderr}`);
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { child, url, exited, stdout: () => stdout };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`desk did not answer /healthz within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}
