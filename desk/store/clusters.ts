/**
 * Clusters: reports about the same thing share a `cluster_id`. A new report joins the cluster
 * that already holds its canonical URL or its captured text (desk/store/canonical.ts), else
 * starts one named by its own id. Keys stay with the cluster that first claimed them, so a
 * report split off its cluster does not take the next report on that page with it.
 */
import type { Report } from '../../utils/schema/report';
import { canonicalUrl, capturedTextHash } from './canonical';
import type { DeskDb } from './engine';

export function clusterKeys(report: Report): string[] {
  const text = capturedTextHash(report.target.text);
  return [`url:${canonicalUrl(report.target.url)}`, ...(text ? [`text:${text}`] : [])];
}

/** Chooses the cluster of each new report (in batch order) and records its keys; inside the ingest transaction. */
export async function assignClusters(trx: DeskDb, reports: ReadonlyArray<{ id: string; report: Report }>): Promise<Map<string, string>> {
  const keysOf = new Map(reports.map(({ id, report }) => [id, clusterKeys(report)]));
  const allKeys = [...new Set([...keysOf.values()].flat())];
  const known = new Map<string, string>();
  for (let i = 0; i < allKeys.length; i += 200) {
    const rows = await trx
      .selectFrom('cluster_keys')
      .select(['key', 'cluster_id'])
      .where('key', 'in', allKeys.slice(i, i + 200))
      .execute();
    for (const row of rows) known.set(row.key, row.cluster_id);
  }
  const chosen = new Map<string, string>();
  const claimed: Array<{ key: string; cluster_id: string }> = [];
  for (const { id } of reports) {
    const keys = keysOf.get(id) ?? [];
    const cluster = keys.map((key) => known.get(key)).find((found) => found !== undefined) ?? id;
    chosen.set(id, cluster);
    for (const key of keys) {
      if (known.has(key)) continue;
      known.set(key, cluster);
      claimed.push({ key, cluster_id: cluster });
    }
  }
  for (let i = 0; i < claimed.length; i += 200) {
    await trx
      .insertInto('cluster_keys')
      .values(claimed.slice(i, i + 200))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
  // A concurrent batch (PostgreSQL) may have claimed one of the keys first: follow its cluster.
  if (claimed.length > 0) {
    const winners = new Map<string, string>();
    for (let i = 0; i < claimed.length; i += 200) {
      const rows = await trx
        .selectFrom('cluster_keys')
        .select(['key', 'cluster_id'])
        .where(
          'key',
          'in',
          claimed.slice(i, i + 200).map((c) => c.key),
        )
        .execute();
      for (const row of rows) winners.set(row.key, row.cluster_id);
    }
    for (const { id } of reports) {
      const urlKey = keysOf.get(id)?.[0];
      const winner = urlKey ? winners.get(urlKey) : undefined;
      if (winner && winner !== chosen.get(id) && chosen.get(id) === id) chosen.set(id, winner);
    }
  }
  return chosen;
}

/** The cluster's reports move into the first cluster; keys follow. Returns the surviving id. */
export async function mergeClusters(db: DeskDb, clusterIds: readonly string[]): Promise<string> {
  const [survivor, ...rest] = clusterIds;
  if (!survivor) throw new Error('nothing to merge');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('reports').set({ cluster_id: survivor }).where('cluster_id', 'in', rest).execute();
    await trx.updateTable('cluster_keys').set({ cluster_id: survivor }).where('cluster_id', 'in', rest).execute();
  });
  return survivor;
}
