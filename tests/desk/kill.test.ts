/**
 * Principle 8: the Desk answers `accepted` only after the commit. A client keeps sending batches
 * (new reports, with and without evidence, mixed with resends) while the Desk is killed with
 * SIGKILL at random moments, 20 times over; afterwards every acknowledged id is stored exactly
 * once with the receipt it was given, and nothing is half-written.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../utils/schema/report';
import { BatchResponse } from '../../utils/schema/wire';
import { createChannel } from '../../desk/store/channels';
import { exportReports } from '../../desk/store/export';
import { isPostgres } from '../../desk/store/engine';
import { randomScreenshot, wireReport } from '../support/wire-reports';
import { ENGINES, freshDatabase } from './support/engines';
import { serveDesk } from './support/child';
import { freePort } from '../../scripts/free-port';

const RESTARTS = 20;

describe.each(ENGINES)('kill -9 on %s', (engine) => {
  it(`loses nothing acknowledged and leaves nothing half-written over ${RESTARTS} kills`, { timeout: 240_000 }, async () => {
    const database = await freshDatabase(engine);
    const setup = await database.open();
    const channel = await createChannel(setup, { name: 'Kill test' });
    await setup.destroy();

    const acknowledged = new Map<string, string>();
    const pending: Report[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let kills = 0;
    let answered = 0;

    for (let round = 0; round < RESTARTS; round++) {
      const desk = await serveDesk(database.flags, await freePort());
      let alive = true;
      void desk.exited.then(() => (alive = false));
      const killAfter = 30 + random() * 250;
      const started = Date.now();
      const sender = async () => {
        while (alive) {
          if (Date.now() - started > killAfter && alive) {
            desk.child.kill('SIGKILL');
            kills++;
            break;
          }
          // New reports, some with a screenshot, plus whatever was sent before and not answered.
          const fresh = await Promise.all(
            Array.from({ length: 8 }, (_, i) => wireReport(i % 2 ? { screenshot: randomScreenshot(20_000), text: `第${i}条` } : {})),
          );
          const batch = [...pending.splice(0, 8), ...fresh];
          pending.push(...batch);
          try {
            const response = await fetch(`${desk.url}/v1/reports`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${channel.token}` },
              body: JSON.stringify({ reports: batch }),
            });
            const results = BatchResponse.parse(await response.json()).results ?? [];
            answered++;
            for (const result of results) {
              expect(result.status).not.toBe('rejected');
              const known = acknowledged.get(result.id);
              if (known) expect(result.receipt).toBe(known);
              acknowledged.set(result.id, result.receipt ?? '');
              const index = pending.findIndex((report) => report.id === result.id);
              if (index >= 0) pending.splice(index, 1);
            }
          } catch {
            // Killed mid-request: nothing was acknowledged, the batch stays pending.
          }
        }
      };
      await Promise.all([sender(), sender()]);
      if (alive) desk.child.kill('SIGKILL');
      await desk.exited;
    }
    expect(kills).toBeGreaterThanOrEqual(RESTARTS);
    expect(answered).toBeGreaterThan(RESTARTS);

    const db = await database.open();
    try {
      const stored = new Map<string, number>();
      for await (const report of exportReports(db)) {
        stored.set(report.id, (stored.get(report.id) ?? 0) + 1);
        // Every artifact's blob is present and hashes to what was acknowledged.
        expect(report.evidence.verified).toBe(true);
        const body = report.report as Report;
        expect(report.evidence.artifacts.map((a) => a.name).sort()).toEqual((body.evidence?.artifacts ?? []).map((a) => a.name).sort());
        if (acknowledged.has(report.id)) expect(report.receipt).toBe(acknowledged.get(report.id));
      }
      for (const id of acknowledged.keys()) expect(stored.get(id), `acknowledged ${id} missing`).toBe(1);
      // Nothing half-written: no report without its current revision, no revision without its report.
      const count = async (query: string) => Number((await sql<{ n: number | string }>`${sql.raw(query)}`.execute(db)).rows[0]?.n);
      expect(await count('select count(*) as n from reports')).toBe(stored.size);
      expect(await count('select count(*) as n from report_revisions r left join reports p on p.id = r.report_id where p.id is null')).toBe(0);
      expect(await count('select count(*) as n from report_artifacts a left join evidence_blobs b on b.sha256 = a.sha256 where b.sha256 is null')).toBe(0);
      // Every report is searchable and in a cluster whose keys exist: written in the same transaction.
      expect(await count('select count(*) as n from reports r where not exists (select 1 from search_postings p where p.report_id = r.id)')).toBe(0);
      expect(await count('select count(*) as n from reports r where r.cluster_id is null')).toBe(0);
      expect(await count("select count(*) as n from reports r where not exists (select 1 from cluster_keys k where k.key = 'url:' || r.url)")).toBe(0);
      if (!isPostgres(db)) expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows[0]?.integrity_check).toBe('ok');
    } finally {
      await db.destroy();
      database.cleanup();
    }
  });
});
