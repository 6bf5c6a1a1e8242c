/**
 * The reviewers' queue at scale (issue 17): 1,000,000 reports seeded by bulk SQL straight into
 * the Desk's own schema (not over HTTP: that would take an hour), then the first page of the
 * queue asked of a Desk served in-process, over loopback, with a signed-in session:
 *
 * - `desk.queue1MMs.<engine>`: `GET /api/reports?state=new&limit=50` (newest first).
 * - `desk.search1MMs.<engine>`: the same with `q=停水` (a two-character Chinese word in 1 report
 *   of 27).
 *
 * Each is sampled RUNS times; the table shows the median and a `.p95` line. One report in five is
 * `new`. Every report's title and explanation come from a list of Chinese phrases and are indexed
 * with the Desk's own tokeniser (desk/store/search.ts); URL words are not seeded.
 *
 * Seeding takes minutes on a small machine: `FLAGLINE_BENCH_DESK_ROWS=100000` seeds fewer rows,
 * `FLAGLINE_BENCH_DESK_ROWS=0` skips these figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { SessionInfo } from '../../../desk/api/contract';
import { startDesk } from '../../../desk/server';
import { createChannel } from '../../../desk/store/channels';
import { isPostgres, openDatabase, type DeskDb } from '../../../desk/store/engine';
import { indexTerms } from '../../../desk/store/search';
import { createUser } from '../../../desk/store/users';
import { createDatabase, startThrowawayPostgres } from '../../postgres';
import type { Figure } from '../harness';

const RUNS = 40;
const PASSWORD = 'bench password 1';

const PHRASES = [
  '明天全市停水三天',
  '某小学食堂发生食物中毒',
  '网传地铁二号线停运',
  '他们在群里辱骂一名初二学生',
  '转发这条消息就能领取红包',
  '本市将全面封锁道路',
  '学校附近出现可疑人员',
  '某品牌奶粉检出有害物质',
  '网红直播间售卖假药',
  '地震局辟谣今晚有大地震',
  '多名学生被拉进赌博群',
  '视频里的老师体罚学生',
  '明日起全市中小学停课',
  '游戏充值返利骗局',
  '冒充警察要求转账',
  '这张图片是合成的',
  '某医院拒收发热病人',
  '网传高考题目泄露',
  '有人在评论区人肉搜索',
  '未成年人深夜直播',
  '景区门票免费是谣言',
  '水库大坝出现裂缝',
  '外卖骑手被打视频',
  '某超市鸡蛋是人造的',
  '小区电梯事故传闻',
  '某校强制学生购买教辅',
  '虚假招聘骗取押金',
];
const CATEGORIES = ['rumor', 'cyberviolence', 'harmful_to_minors', 'fraud', 'other'];
const STATES = ['new', 'in_review', 'forwarded', 'closed', 'closed'];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Bulk-inserts `rows` reports of one channel, and their postings, in SQL only. */
async function seed(db: DeskDb, channelId: string, rows: number): Promise<void> {
  const pg = isPostgres(db);
  await sql`create table bench_phrases (n integer primary key, title text not null, explanation text not null)`.execute(db);
  await sql`create table bench_terms (n integer not null, term text not null)`.execute(db);
  for (const [n, phrase] of PHRASES.entries()) {
    const title = `举报：${phrase.slice(0, 4)}`;
    await sql`insert into bench_phrases (n, title, explanation) values (${n}, ${title}, ${phrase})`.execute(db);
    for (const term of indexTerms(title, phrase)) await sql`insert into bench_terms (n, term) values (${n}, ${term})`.execute(db);
  }
  const phrases = PHRASES.length;
  // One series expression per engine; every other column is the same SQL.
  const series = pg
    ? sql`select i, 'b0000000-0000-4000-8000-' || lpad(i::text, 12, '0') as id,
                 to_char(to_timestamp(1767225600 + i) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
          from generate_series(0, ${rows - 1}) as s(i)`
    : sql`select i, 'b0000000-0000-4000-8000-' || substr('000000000000' || i, -12) as id,
                 strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + i, 'unixepoch') as at
          from (with recursive s(i) as (select 0 union all select i + 1 from s where i < ${rows - 1}) select i from s)`;
  // Indexes are built once after the bulk insert (a sort) instead of row by row: the same index
  // definitions, read back from the database and re-run, so the bench measures the Desk's own.
  const indexes = pg
    ? (
        await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes
          where tablename in ('reports', 'search_postings') and indexname not in (select conname from pg_constraint)`.execute(db)
      ).rows
    : (
        await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master
          where type = 'index' and tbl_name in ('reports', 'search_postings') and sql is not null`.execute(db)
      ).rows;
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  // A bigger page cache for the bulk load (SQLite's default 2 MB spills to the WAL again and again).
  if (!pg) await sql`pragma cache_size = -400000`.execute(db);
  const categories = sql.raw(`case s.i % ${CATEGORIES.length} ${CATEGORIES.map((c, k) => `when ${k} then '${c}'`).join(' ')} end`);
  const states = sql.raw(`case s.i % ${STATES.length} ${STATES.map((c, k) => `when ${k} then '${c}'`).join(' ')} end`);
  await db.transaction().execute(async (trx) => {
    await sql`insert into reports (id, channel_id, receipt, received_at, updated_at, revision, state, category, url, cluster_id, title, sub_reason)
      select s.id, ${channelId}, 'FL-BENCH-' || s.i, s.at, s.at, 1, ${states}, ${categories},
             'https://weibo.example/post/' || s.i, s.id, p.title, null
      from (${series}) s join bench_phrases p on p.n = s.i % ${phrases}`.execute(trx);
    await sql`insert into search_postings (term, report_id, received_at)
      select t.term, s.id, s.at from (${series}) s join bench_terms t on t.n = s.i % ${phrases}`.execute(trx);
  });
  for (const index of indexes) await sql.raw(index.definition).execute(db);
  await sql`drop table bench_terms`.execute(db);
  await sql`drop table bench_phrases`.execute(db);
  await sql`analyze`.execute(db);
}

async function measureOn(db: DeskDb, engine: string, rows: number): Promise<Figure[]> {
  const channel = await createChannel(db, { name: 'bench' });
  const seedStart = performance.now();
  await seed(db, channel.id, rows);
  console.log(`  seeded ${rows.toLocaleString('en')} reports on ${engine} in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`);
  await createUser(db, { email: 'bench@desk.example', role: 'admin', password: PASSWORD });
  const desk = await startDesk({ db, port: 0 });
  try {
    const signIn = await fetch(`${desk.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'bench@desk.example', password: PASSWORD }),
    });
    SessionInfo.parse(await signIn.json());
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const time = async (query: string): Promise<number[]> => {
      const runs: number[] = [];
      for (let i = -3; i < RUNS; i++) {
        const start = performance.now();
        const response = await fetch(`${desk.url}/api/reports?${query}`, { headers: { Cookie: cookie } });
        const page = (await response.json()) as { rows: unknown[] };
        const ms = performance.now() - start;
        if (response.status !== 200 || page.rows.length !== 50) throw new Error(`bench queue page: ${response.status}, ${page.rows.length} rows`);
        if (i >= 0) runs.push(ms);
      }
      return runs;
    };
    const queue = await time('state=new&limit=50');
    const search = await time(`state=new&limit=50&q=${encodeURIComponent('停水')}`);
    return [
      { key: `desk.queue1MMs.${engine}`, unit: 'ms', runs: queue, target: 'p95 ≤ 100' },
      { key: `desk.queue1MMs.${engine}.p95`, unit: 'ms', runs: [percentile(queue, 95)], target: '≤ 100' },
      { key: `desk.search1MMs.${engine}`, unit: 'ms', runs: search, target: 'p95 ≤ 300' },
      { key: `desk.search1MMs.${engine}.p95`, unit: 'ms', runs: [percentile(search, 95)], target: '≤ 300' },
    ];
  } finally {
    await desk.close();
  }
}

export async function measureDeskQueue(): Promise<Figure[]> {
  const rows = Number(process.env.FLAGLINE_BENCH_DESK_ROWS ?? 1_000_000);
  if (!Number.isInteger(rows) || rows < 0) throw new Error('FLAGLINE_BENCH_DESK_ROWS must be a whole number');
  if (rows === 0) {
    console.log('  FLAGLINE_BENCH_DESK_ROWS=0: desk.queue1MMs and desk.search1MMs skipped');
    return [];
  }
  const figures: Figure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'flagline-bench-queue-'));
  const sqlite = await openDatabase({ kind: 'sqlite', dataDir: dir });
  try {
    figures.push(...(await measureOn(sqlite, 'sqlite', rows)));
  } finally {
    await sqlite.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  const postgres = await startThrowawayPostgres({ fsync: false });
  try {
    const db = await openDatabase({ kind: 'postgres', url: await createDatabase(postgres.url) });
    try {
      figures.push(...(await measureOn(db, 'postgres', rows)));
    } finally {
      await db.destroy();
    }
  } finally {
    await postgres.stop();
  }
  return figures;
}
