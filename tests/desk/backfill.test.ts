import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueuePage } from '../../desk/api/contract';
import { backfillReviewIndex } from '../../desk/store/backfill';
import { ENGINES } from './support/engines';
import { startTestDesk, type TestDesk } from './support/desk';
import { userSession, type ApiClient } from './support/api';
import { deliver, reviewReport } from './support/reports';

/**
 * A Desk that received reports under part 1 (before migration 0002) upgrades to the reviewers'
 * desk: migration 0005 gives those reports their titles, clusters and search terms, as intake
 * gives new ones.
 */
describe.each(ENGINES)('back-filling reports stored before the reviewers’ desk, on %s', (engine) => {
  let t: TestDesk;
  let admin: ApiClient;
  beforeEach(async () => {
    t = await startTestDesk(engine);
    admin = await userSession(t, 'admin@school.example', 'admin');
  });
  afterEach(async () => {
    await t.stop();
  });

  it('titles, clusters and indexes them so the queue and search find them', async () => {
    const url = 'https://weibo.example/post/42';
    const [first, second] = await deliver(t, [
      await reviewReport({ url, title: '明天全市停水三天？', captured: '明天全市停水三天，大家快去囤水', explanation: '谣言' }),
      await reviewReport({ url: `${url}?utm_source=wechat`, title: 'Same post, shared link', explanation: 'A rumour about the water supply' }),
    ]);
    // As migration 0002 left reports that part 1 stored: no title, each its own cluster, no terms.
    await t.db
      .updateTable('reports')
      .set((eb) => ({ title: '', sub_reason: null, cluster_id: eb.ref('id') }))
      .execute();
    await t.db.deleteFrom('search_postings').execute();
    await t.db.deleteFrom('cluster_keys').execute();
    const search = async (q: string) => QueuePage.parse(await admin.json(`/api/reports?q=${encodeURIComponent(q)}`)).rows.map((row) => row.id);
    expect(await search('停水')).toEqual([]);

    expect(await backfillReviewIndex(t.db)).toBe(2);
    const rows = QueuePage.parse(await admin.json('/api/reports')).rows;
    expect(rows.map((row) => [row.id, row.title, row.clusterSize]).sort()).toEqual(
      [
        [first!.id, '明天全市停水三天？', 2],
        [second!.id, 'Same post, shared link', 2],
      ].sort(),
    );
    expect(await search('停水')).toEqual([first!.id]);
    expect((await search('shared link')).sort()).toEqual([second!.id]);
    // Once filled, nothing is left to fill: reports that came in after 0002 are never touched.
    expect(await backfillReviewIndex(t.db)).toBe(0);
  });
});
