/**
 * The digest a robot posts: how many reports arrived since its last digest, by category and by
 * channel, their receipt references and a link to the Desk's queue. It is built from the
 * `reports` and `channels` columns only (category, channel, receipt) — never from a report's
 * body — so no evidence, captured text, reported URL or reporter identity can reach a group chat.
 * The text is in Simplified Chinese and English together: one group may hold readers of either.
 */
import { BUILT_IN_CATEGORIES } from '../../utils/categories';
import type { MessageKey } from '../../utils/i18n';
import en from '../../public/_locales/en/messages.json';
import zh from '../../public/_locales/zh_CN/messages.json';
import type { DeskDb } from '../store/engine';
import type { RobotMessage } from './platforms';

export interface ReportPosition {
  at: string;
  id: string;
}

export interface Digest {
  total: number;
  byCategory: { category: string; count: number }[];
  byChannel: { name: string; count: number }[];
  /** The newest receipts, newest first (at most RECEIPTS_SHOWN). */
  receipts: string[];
  /** The newest report the digest covers: the robot's next cursor. */
  upTo: ReportPosition;
}

const RECEIPTS_SHOWN = 20;
/**
 * Lines per table, and characters per label; the rest are summed into one line. WeCom takes 4096
 * bytes of Markdown: 2 × 12 lines of 40 CJK characters (3 bytes each) and 20 receipts stay well under.
 */
const LINES_SHOWN = 12;
const LABEL_MAX = 40;

/**
 * The reports received after `after` and no later than `notAfter`, up to the newest such one;
 * undefined when there are none. `notAfter` lies a little in the past (the scheduler's settle
 * time): a report's received time is taken before its transaction commits, so a report stamped
 * earlier can become visible after one stamped later — a cursor set at the newest visible report
 * would step over it for ever.
 */
export async function collectDigest(db: DeskDb, after: ReportPosition, notAfter: string): Promise<Digest | undefined> {
  const newest = await db
    .selectFrom('reports')
    .select(['received_at', 'id'])
    .where((eb) => eb.or([eb('received_at', '>', after.at), eb.and([eb('received_at', '=', after.at), eb('id', '>', after.id)])]))
    .where('received_at', '<=', notAfter)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newest) return undefined;
  const upTo = { at: newest.received_at, id: newest.id };
  // A report stored while this runs lies after `upTo` and waits for the next digest.
  const window = db
    .selectFrom('reports')
    .where((eb) =>
      eb.and([
        eb.or([eb('reports.received_at', '>', after.at), eb.and([eb('reports.received_at', '=', after.at), eb('reports.id', '>', after.id)])]),
        eb.or([eb('reports.received_at', '<', upTo.at), eb.and([eb('reports.received_at', '=', upTo.at), eb('reports.id', '<=', upTo.id)])]),
      ]),
    );
  const categories = await window
    .select((eb) => ['reports.category', eb.fn.countAll<number | string>().as('n')])
    .groupBy('reports.category')
    .execute();
  const channels = await window
    .innerJoin('channels', 'channels.id', 'reports.channel_id')
    .select((eb) => ['channels.id', 'channels.name', eb.fn.countAll<number | string>().as('n')])
    .groupBy(['channels.id', 'channels.name'])
    .execute();
  const receipts = await window.select('reports.receipt').orderBy('reports.received_at', 'desc').orderBy('reports.id', 'desc').limit(RECEIPTS_SHOWN).execute();
  const byCount = <T extends { count: number }>(a: T & { key: string }, b: T & { key: string }) => b.count - a.count || a.key.localeCompare(b.key);
  const byCategory = categories.map((row) => ({ category: row.category, count: Number(row.n), key: row.category })).sort(byCount);
  const byChannel = channels.map((row) => ({ name: row.name, count: Number(row.n), key: row.name })).sort(byCount);
  return {
    total: byCategory.reduce((sum, row) => sum + row.count, 0),
    byCategory: byCategory.map(({ category, count }) => ({ category, count })),
    byChannel: byChannel.map(({ name, count }) => ({ name, count })),
    receipts: receipts.map((row) => row.receipt),
    upTo,
  };
}

const messages = { en: en as Record<string, { message: string }>, zh: zh as Record<string, { message: string }> };

/** "谣言 · Rumor" from the extension's own translations; an organisation's custom category by its id. */
function categoryLabel(category: string): string {
  const key: MessageKey | undefined = BUILT_IN_CATEGORIES.find((def) => def.id === category)?.label;
  if (!key) return category;
  return `${messages.zh[key]?.message ?? category} · ${messages.en[key]?.message ?? category}`;
}

/** Channel names are the admins' words: keep Markdown from reading them as links or emphasis. */
const plain = (text: string) => text.replace(/[\\`*_[\]()<>#!|~]/g, (character) => `\\${character}`);

function table(all: { label: string; count: number }[]): { label: string; count: number }[] {
  const rows = all.map((row) => ({ ...row, label: [...row.label].length > LABEL_MAX ? `${[...row.label].slice(0, LABEL_MAX - 1).join('')}…` : row.label }));
  if (rows.length <= LINES_SHOWN) return rows;
  const rest = rows.slice(LINES_SHOWN - 1).reduce((sum, row) => sum + row.count, 0);
  return [...rows.slice(0, LINES_SHOWN - 1), { label: '其他 · Others', count: rest }];
}

/** The Desk's queue, when the Desk has a public address to link to. */
function queueLink(publicUrl: string | undefined): string | undefined {
  if (!publicUrl || !URL.canParse(publicUrl)) return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/`;
}

export function digestMessage(digest: Digest, publicUrl?: string): RobotMessage {
  const title = `Flagline Desk: ${digest.total} 份新举报 · ${digest.total} new report${digest.total === 1 ? '' : 's'}`;
  const categories = table(digest.byCategory.map((row) => ({ label: categoryLabel(row.category), count: row.count })));
  const channels = table(digest.byChannel.map((row) => ({ label: row.name, count: row.count })));
  const more = digest.total - digest.receipts.length;
  const receipts = `${digest.receipts.join(', ')}${more > 0 ? ` (另有 ${more} 份 · ${more} more)` : ''}`;
  const link = queueLink(publicUrl);
  const markdown = [
    `### ${title}`,
    '**按类别 · By category**',
    ...categories.map((row) => `- ${plain(row.label)}: ${row.count}`),
    '',
    '**按渠道 · By channel**',
    ...channels.map((row) => `- ${plain(row.label)}: ${row.count}`),
    '',
    '**回执 · Receipts**',
    receipts,
    ...(link ? ['', `[打开 Desk 队列 · Open the Desk queue](${link})`] : []),
  ].join('\n');
  const text = [
    title,
    '按类别 · By category',
    ...categories.map((row) => `  ${row.label}: ${row.count}`),
    '按渠道 · By channel',
    ...channels.map((row) => `  ${row.label}: ${row.count}`),
    `回执 · Receipts: ${receipts}`,
    ...(link ? [`打开 Desk 队列 · Open the Desk queue: ${link}`] : []),
  ].join('\n');
  return { title, markdown, text };
}

/** What `Test` sends: proves the address, the signing and the keyword filter (it names Flagline) work. */
export function testMessage(notifierName: string): RobotMessage {
  const title = 'Flagline Desk: 测试消息 · test message';
  const body = `通知“${notifierName}”已连接，新举报的摘要会发到这里。 · Notifier “${notifierName}” is connected; digests of new reports will arrive here.`;
  return { title, markdown: `### ${title}\n${plain(body)}`, text: `${title}\n${body}` };
}
