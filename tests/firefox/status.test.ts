import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freePort } from '../../scripts/free-port';
import type { StatusEntry, StoredStatusRow } from '../../utils/schema/record';
import { entriesFromRows } from '../../utils/status/columns';
import { signIn } from '../desk/support/api';
import { runCli, serveDesk } from '../desk/support/child';
import { submitReport, waitForText, type FirefoxHarness } from './support/firefox';
import { useFirefox } from './support/suite';

/**
 * The reporter hears back (issue 18) in Firefox, where the background is an event page: a report
 * delivered to a real Desk keeps the Desk's status token in the status book (stored in columns,
 * schema version 6); a reviewer closes it through the Desk's API; reopening the popup asks the Desk
 * and shows the outcome and the public note.
 */
describe('Firefox: the reporter hears back', () => {
  const suite = useFirefox({ setEndpoint: false });
  const ADMIN = { email: 'head@school.example', password: 'head teacher password' };
  const NOTE = '平台已删除该帖。The platform removed the post.';

  const statusEntries = async (firefox: FirefoxHarness): Promise<Map<string, StatusEntry>> =>
    entriesFromRows((await firefox.rows('statusPages')) as StoredStatusRow[]);

  /** Signs in to the Desk's API as the admin and closes the report with the outcome and the note. */
  async function closeInDesk(deskUrl: string, reportId: string): Promise<void> {
    const admin = await signIn({ desk: { url: deskUrl } }, ADMIN.email, ADMIN.password);
    await admin.json(`/api/reports/${reportId}/decision`, { method: 'POST', body: { state: 'closed', outcome: 'removed', publicNote: NOTE } });
  }

  test('a report closed in the Desk shows its outcome and public note when the popup is opened again', async () => {
    const { firefox, site } = suite;
    const dataDir = mkdtempSync(join(tmpdir(), 'flagline-firefox-status-'));
    const port = await freePort();
    const cli = (args: string[], input?: string) => {
      const result = runCli([...args, '--data', dataDir, '--port', String(port)], input);
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    const channel = JSON.parse(cli(['channel', 'create', '--name', '实验中学'])) as { token: string; endpoint: string };
    cli(['user', 'create', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], `${ADMIN.password}\n`);
    const desk = await serveDesk(['--data', dataDir], port);
    try {
      await firefox.setEndpoint(channel.endpoint, channel.token);
      const article = await firefox.openWebPage(`${site.url}/article.html`);
      const tabId = await firefox.tabIdOf(article);
      const popup = await firefox.openPopup(tabId);
      await submitReport(popup, { category: 'Rumor', explanation: '伪科学，孩子在班级群里看到的' });
      await popup.close();

      // Delivered, with the Desk's status token in the status book.
      const deadline = Date.now() + 30_000;
      let id: string | undefined;
      while (!id && Date.now() < deadline) {
        const [record] = await firefox.records();
        if (record && (await statusEntries(firefox)).get(record.id)?.token) id = record.id;
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.ok(id, 'the report was delivered with a status token');

      await closeInDesk(desk.url, id);
      const again = await firefox.openPopup(tabId);
      await waitForText(again, 'Closed: removed', 20_000);
      await waitForText(again, NOTE);
      assert.deepEqual(
        { ...(await statusEntries(firefox)).get(id)?.review, updatedAt: undefined, learntAt: undefined },
        { state: 'closed', outcome: 'removed', publicNote: NOTE, updatedAt: undefined, learntAt: undefined },
      );
    } finally {
      desk.child.kill('SIGTERM');
      await desk.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
