import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, serveDesk } from '../desk/support/child';
import { freePort } from '../../scripts/free-port';
import type { ExportedReport } from '../../desk/store/export';
import { submitReport } from './support/extension';
import { expect, pickArticleByKeyboard, test } from './support/picker';

/** A line of `desk export`, with the stored body's evidence as the test reads it. */
type ExportedLine = ExportedReport & { report: { evidence: { artifacts: Array<{ sha256: string }> } } };

/**
 * The whole way: the real extension, configured with a Desk channel's endpoint and token, delivers
 * a picked post with its evidence to a real Desk (the command line, on SQLite), and the Desk's
 * export shows it with every hash verified against the bytes it stored.
 */
test('a picked post with evidence reaches a real Desk, whose export verifies its hashes', async ({ extension, site }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flagline-e2e-desk-'));
  const port = await freePort();
  const channel = JSON.parse(runCli(['channel', 'create', '--name', 'E2E 实验中学', '--port', String(port), '--data', dataDir]).stdout) as {
    token: string;
    endpoint: string;
  };
  const desk = await serveDesk(['--data', dataDir], port);
  try {
    await extension.setEndpoint(channel.endpoint, channel.token);
    const { form } = await pickArticleByKeyboard(extension, site.url);
    await submitReport(form, { category: 'Rumor', explanation: '伪科学，送到学校的 Desk' });

    let exported: ExportedLine[] = [];
    await expect
      .poll(
        () => {
          exported = runCli(['export', '--data', dataDir])
            .stdout.trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as ExportedLine);
          return exported.length;
        },
        { timeout: 30_000, intervals: [250, 500, 1000] },
      )
      .toBe(1);
    const [stored] = exported;
    expect(stored).toMatchObject({
      revision: 1,
      state: 'new',
      channel: { name: 'E2E 实验中学' },
      report: { category: 'rumor', explanation: '伪科学，送到学校的 Desk', target: { kind: 'element', tagName: 'article', url: `${site.url}/article.html` } },
      evidence: { verified: true },
    });
    expect(stored?.evidence.artifacts.map((a: { name: string; verified: boolean }) => `${a.name}:${a.verified}`)).toEqual([
      'element.png:true',
      'text.txt:true',
      'viewport.png:true',
    ]);
    // The hashes the Desk verified are the ones the extension computed when it captured.
    expect(stored?.evidence.artifacts.map((a: { sha256: string }) => a.sha256).sort()).toEqual(
      stored?.report.evidence.artifacts.map((a: { sha256: string }) => a.sha256).sort(),
    );

    // The extension holds the Desk's receipt for it.
    await expect.poll(async () => (await extension.records()).find((r) => r.id === stored?.id)?.receipt, { timeout: 15_000 }).toBe(stored?.receipt);
  } finally {
    desk.child.kill('SIGTERM');
    await desk.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
