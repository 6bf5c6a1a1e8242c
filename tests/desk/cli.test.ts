import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportedReport } from '../../desk/store/export';
import { BatchResponse } from '../../utils/schema/wire';
import { randomScreenshot, wireReport } from '../support/wire-reports';
import { ENGINES, freshDatabase, type TestDatabase } from './support/engines';
import { runCli, serveDesk } from './support/child';
import { freePort } from '../../scripts/free-port';

const json = (line: string) => JSON.parse(line) as Record<string, unknown>;

/** A line of `desk export`, with the stored body's evidence as the test reads it. */
type ExportedLine = ExportedReport & { report: { explanation: string; evidence: { artifacts: Array<Record<string, unknown>> } } };

describe.each(ENGINES)('desk command line on %s', (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase(engine);
  });
  afterEach(() => database.cleanup());

  it('creates, lists and revokes channels, printing one JSON line each', () => {
    const created = runCli(['channel', 'create', '--name', '实验中学', '--signing', '--port', '9999', ...database.flags]);
    expect(created.status).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const channel = json(lines[0] ?? '');
    expect(channel).toEqual({
      id: expect.any(String),
      name: '实验中学',
      token: expect.stringMatching(/^flc_/),
      endpoint: 'http://127.0.0.1:9999/v1/reports',
      signingSecret: expect.stringMatching(/^whsec_/),
    });

    const behindProxy = json(runCli(['channel', 'create', '--name', 'Volunteers', '--public-url', 'https://desk.school.example/', ...database.flags]).stdout);
    expect(behindProxy.endpoint).toBe('https://desk.school.example/v1/reports');
    expect(behindProxy).not.toHaveProperty('signingSecret');

    const listed = runCli(['channel', 'list', ...database.flags])
      .stdout.trim()
      .split('\n')
      .map(json);
    expect(listed.map((c) => [c.name, c.signing, c.revokedAt])).toEqual([
      ['实验中学', true, null],
      ['Volunteers', false, null],
    ]);
    expect(JSON.stringify(listed)).not.toContain(String(channel.token));

    expect(runCli(['channel', 'revoke', String(channel.id), ...database.flags]).status).toBe(0);
    expect(json(runCli(['channel', 'list', ...database.flags]).stdout.split('\n')[0] ?? '').revokedAt).toEqual(expect.any(String));
    const unknown = runCli(['channel', 'revoke', 'no-such-id', ...database.flags]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no channel with id no-such-id');
  });

  it('serves, and exports every stored report as JSON Lines while it runs', async () => {
    const channel = json(runCli(['channel', 'create', '--name', 'School', ...database.flags]).stdout);
    const desk = await serveDesk(database.flags, await freePort());
    try {
      const reports = [await wireReport({ screenshot: randomScreenshot(5_000), text: '停水' }), await wireReport()];
      const response = await fetch(`${desk.url}/v1/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${String(channel.token)}` },
        body: JSON.stringify({ reports }),
      });
      const results = BatchResponse.parse(await response.json()).results ?? [];
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

      const exported = runCli(['export', ...database.flags]);
      expect(exported.status).toBe(0);
      const lines = exported.stdout.trim().split('\n').map(json);
      expect(lines.map((line) => line.id).sort()).toEqual(reports.map((r) => r.id).sort());
      const first = lines.find((line) => line.id === reports[0]?.id) as unknown as ExportedLine;
      expect(first).toMatchObject({
        revision: 1,
        state: 'new',
        receipt: results[0]?.receipt,
        channel: { id: channel.id, name: 'School' },
        evidence: { verified: true },
      });
      expect(first.evidence.artifacts.map((a: { name: string; verified: boolean }) => [a.name, a.verified])).toEqual([
        ['text.txt', true],
        ['viewport.png', true],
      ]);
      expect(first.report.evidence.artifacts[0]).not.toHaveProperty('dataBase64');
      expect(first.report.explanation).toBe(reports[0]?.explanation);

      if (engine === 'sqlite') {
        // An online backup while the service runs, then an export of the copy shows the same reports.
        const copyDir = mkdtempSync(join(tmpdir(), 'flagline-backup-'));
        const backup = runCli(['backup', '--to', join(copyDir, 'desk.sqlite'), ...database.flags]);
        expect(backup.status).toBe(0);
        expect(json(backup.stdout).bytes).toBeGreaterThan(0);
        const fromCopy = runCli(['export', '--data', copyDir]).stdout.trim().split('\n').map(json);
        expect(fromCopy.map((line) => line.id).sort()).toEqual(lines.map((line) => line.id).sort());
      } else {
        expect(runCli(['backup', '--to', '/tmp/x', ...database.flags]).stderr).toContain('pg_dump');
      }
    } finally {
      desk.child.kill('SIGTERM');
      await desk.exited;
    }
  });
});

describe('desk command line errors', () => {
  it('explains bad flags, an unreachable database and an unwritable data folder, with exit code 1', () => {
    const bad = runCli(['--bogus']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(bad.stderr).toContain('Usage:');

    const both = runCli(['export', '--data', 'x', '--database', 'postgres://a@127.0.0.1/b']);
    expect(both.status).toBe(1);
    expect(both.stderr).toContain('either --data or --database');

    const unreachable = runCli(['export', '--database', 'postgres://nobody:secret@127.0.0.1:1/none']);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain('Cannot use PostgreSQL at postgres://nobody:***@127.0.0.1:1/none');
    expect(unreachable.stderr).not.toContain('secret');

    const file = join(mkdtempSync(join(tmpdir(), 'flagline-cli-')), 'a-file');
    writeFileSync(file, '');
    const unwritable = runCli(['channel', 'list', '--data', join(file, 'data')]);
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr).toContain('cannot be written');

    expect(runCli(['frobnicate']).stderr).toContain('unknown command "frobnicate"');
  });

  it('is the npm script the docs name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagline-cli-'));
    const result = spawnSync('npm', ['run', '--silent', 'desk', '--', 'channel', 'create', '--name', 'Demo', '--data', dir], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(Object.keys(json(result.stdout.trim()))).toEqual(['id', 'name', 'token', 'endpoint']);
  });
});
