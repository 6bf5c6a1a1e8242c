/**
 * Reports stored before the reviewers' desk (migration 0002) have no title, sub-reason, cluster or
 * search terms: 0002 could only give each its own cluster and an empty title. This fills them
 * from each report's current stored revision, with the same functions intake uses, so a Desk that
 * received reports under part 1 shows them titled, searchable and clustered after the upgrade.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Report } from '../../utils/schema/report';
import { assignClusters } from './clusters';
import type { DeskDb } from './engine';
import { indexReports } from './search';

const CHUNK = 500;

/** Fills every report without search terms; returns how many. Runs inside the caller's transaction (a migration's). */
export async function backfillReviewIndex(db: DeskDb): Promise<number> {
  let filled = 0;
  let after = '';
  for (;;) {
    // Oldest first, so clusters form in the order the reports arrived, as intake would have.
    const rows = await db
      .selectFrom('reports as r')
      .innerJoin('report_revisions as v', (join) => join.onRef('v.report_id', '=', 'r.id').onRef('v.revision', '=', 'r.revision'))
      .select(['r.id', 'r.received_at', 'v.body'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('search_postings as p').select('p.report_id').whereRef('p.report_id', '=', 'r.id'))))
      .where(sql<string>`r.received_at || r.id`, '>', after)
      .orderBy('r.received_at')
      .orderBy('r.id')
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) return filled;
    const entries = rows.map((row) => ({ id: row.id, receivedAt: row.received_at, report: JSON.parse(row.body) as Report }));
    const clusters = await assignClusters(db, entries);
    for (const { id, report } of entries) {
      await db
        .updateTable('reports')
        .set({ cluster_id: clusters.get(id) ?? id, title: report.target.title, sub_reason: report.subReason ?? null })
        .where('id', '=', id)
        .execute();
    }
    await indexReports(
      db,
      entries.map((entry) => ({ ...entry, replace: false })),
    );
    filled += rows.length;
    const last = rows.at(-1)!;
    after = `${last.received_at}${last.id}`;
  }
}

/** Its own migration object, spread into desk/store/migrations.ts beside the others. */
export const backfillMigrations: Record<string, Migration> = {
  '0005_backfill_review': {
    async up(db: Kysely<unknown>) {
      await backfillReviewIndex(db as unknown as DeskDb);
    },
  },
};
