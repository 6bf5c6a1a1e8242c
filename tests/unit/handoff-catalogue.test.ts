import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { offeredChannels, SHIPPED_CATALOGUE } from '@/utils/handoff/catalogue';
import { channelCategory, channelFields, channelsFor, descriptionText, fieldText, mailtoDraft, readableTime, subjectText } from '@/utils/handoff/fields';
import { parsePolicy } from '@/utils/policy';
import { Channel, ChannelCatalogue } from '@/utils/schema/channel-catalogue';
import type { Report } from '@/utils/schema/report';

const byId = (id: string) => {
  const channel = SHIPPED_CATALOGUE.channels.find((c) => c.id === id);
  if (!channel) throw new Error(`no channel ${id}`);
  return channel;
};

const report = (overrides: Partial<Report> = {}, target: Partial<Report['target']> = {}): Report => ({
  schemaVersion: 1,
  id: '0b8f2a4e-4a57-4d2c-9a43-7c1f4f5d2a10',
  createdAt: '2026-12-06T14:03:09.120+08:00',
  category: 'rumor',
  subReason: 'disaster',
  explanation: '声称明天全市停水三天，自来水公司已辟谣。',
  goodFaith: { accepted: true, at: '2026-12-06T14:03:09.120+08:00' },
  target: { kind: 'element', url: 'https://weibo.com/1234/AbCd', title: '明天全市停水三天', text: '紧急通知：明天全市停水三天，请大家囤水！', ...target },
  client: { name: 'flagline', version: '0.1.0', locale: 'zh_CN' },
  evidence: {
    manifestSha256: 'a'.repeat(64),
    artifacts: [
      { name: 'element.png', mediaType: 'image/png', sha256: 'b'.repeat(64), size: 10, capturedAt: '2026-12-06T14:03:09.120+08:00', dataBase64: '' },
      {
        name: 'text.txt',
        mediaType: 'text/plain;charset=utf-8',
        sha256: 'c'.repeat(64),
        size: 10,
        capturedAt: '2026-12-06T14:03:09.120+08:00',
        dataBase64: '',
      },
    ],
    unavailable: [],
  },
  ...overrides,
});

describe('the shipped channel catalogue', () => {
  it('parses, and has the channels the issue names', () => {
    const raw = JSON.parse(readFileSync('utils/handoff/catalogue.json', 'utf8'));
    expect(ChannelCatalogue.safeParse(raw).success).toBe(true);
    const ids = SHIPPED_CATALOGUE.channels.map((c) => c.id);
    for (const id of ['cac-12377-web', 'cac-12377-email', 'piyao-web', 'cac-provincial-offices']) expect(ids).toContain(id);
    const platforms = SHIPPED_CATALOGUE.channels.filter((c) => c.kind === 'platform-route').map((c) => c.name.en);
    expect(platforms).toEqual(['Weibo', 'Douyin', 'Bilibili', 'Kuaishou', 'WeChat', 'Xiaohongshu (RED)', 'Baidu Tieba', 'Zhihu']);
    expect(byId('cac-12377-email').emailAddress).toBe('jubao@12377.cn');
    expect(byId('cac-12377-web').formUrl).toBe('https://www.12377.cn/');
  });

  it('records where each channel was read and when, and says what is unconfirmed when no page confirms it', () => {
    for (const channel of SHIPPED_CATALOGUE.channels) {
      expect(channel.source.lastChecked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(channel.source.pages.length > 0 || (channel.source.unconfirmed ?? []).length > 0).toBe(true);
    }
  });

  it('maps only to our categories and sub-reasons', () => {
    for (const channel of SHIPPED_CATALOGUE.channels) {
      for (const entry of channel.categories) {
        const category = BUILT_IN_CATEGORIES.find((c) => c.id === entry.category);
        expect(category, `${channel.id}: ${entry.category}`).toBeDefined();
        for (const reason of entry.reasons ?? [])
          expect(
            category?.reasons.map((r) => r.id),
            `${channel.id}: ${reason}`,
          ).toContain(reason);
      }
    }
  });

  it('refuses a channel that breaks its own rules', () => {
    const base = byId('cac-12377-web');
    expect(Channel.safeParse({ ...base, formUrl: 'http://www.12377.cn/' }).success).toBe(false);
    expect(Channel.safeParse({ ...base, takesEmail: true }).success).toBe(false);
    expect(Channel.safeParse({ ...base, kind: 'platform-route' }).success).toBe(false);
    expect(Channel.safeParse({ ...base, source: { pages: [], lastChecked: '2026-12-06' } }).success).toBe(false);
    expect(ChannelCatalogue.safeParse({ ...SHIPPED_CATALOGUE, channels: [base, base] }).success).toBe(false);
  });
});

describe('category mapping', () => {
  it("gives 12377's own category words, by sub-reason where 12377 files them apart", () => {
    const web = byId('cac-12377-web');
    expect(channelCategory(web, 'rumor', 'fabricated')?.words).toBe('谣言类');
    expect(channelCategory(web, 'cyberviolence', 'doxxing')?.words).toMatch(/^侵权类/);
    expect(channelCategory(web, 'minors', 'child_exploitation')?.words).toMatch(/^色情类/);
    expect(channelCategory(web, 'minors', 'gambling_loans')?.words).toBe('赌博类');
    expect(channelCategory(web, 'minors', 'zuan')?.words).toBe('低俗类');
    expect(channelCategory(web, 'minors', undefined)?.words).toBe('低俗类');
    expect(channelCategory(byId('piyao-web'), 'cyberviolence', 'insults')).toBeUndefined();
  });

  it('offers the channels that fit, best first, and the hosting platform only for its own posts', () => {
    const rumorOnWeibo = channelsFor(SHIPPED_CATALOGUE.channels, report()).map((c) => c.id);
    expect(rumorOnWeibo.slice(0, 3)).toEqual(['cac-12377-web', 'piyao-web', 'weibo-report']);
    expect(rumorOnWeibo).toContain('cac-12377-email');
    expect(rumorOnWeibo).not.toContain('douyin-report');

    const abuseElsewhere = channelsFor(
      SHIPPED_CATALOGUE.channels,
      report({ category: 'cyberviolence', subReason: 'insults' }, { url: 'https://example.org/x' }),
    ).map((c) => c.id);
    expect(abuseElsewhere).toEqual(['cac-12377-web', 'cac-12377-email', 'cac-provincial-offices']);

    const exploitation = channelsFor(
      SHIPPED_CATALOGUE.channels,
      report({ category: 'minors', subReason: 'child_exploitation' }, { url: 'https://m.weibo.cn/status/1' }),
    ).map((c) => c.id);
    expect(exploitation).toEqual(['cac-12377-web', 'cac-12377-email']);
  });
});

describe('the text for each field', () => {
  it("writes every field of 12377's form in Chinese, whatever the reporter's language", () => {
    const fields = channelFields(byId('cac-12377-web'), report({ client: { name: 'flagline', version: '0.1.0', locale: 'en' } }));
    const text = Object.fromEntries(fields.map((f) => [f.label, f.text]));
    expect(text['举报网址']).toBe('https://weibo.com/1234/AbCd');
    expect(text['举报类型']).toBe('谣言类');
    expect(text['举报内容']).toBe(
      [
        '【类别】谣言 — 涉灾情/突发事件谣言',
        '【网址】https://weibo.com/1234/AbCd',
        '【页面标题】明天全市停水三天',
        '【发现时间】2026-12-06 14:03 (UTC+08:00)',
        '【问题说明】声称明天全市停水三天，自来水公司已辟谣。',
        '【原文摘录】紧急通知：明天全市停水三天，请大家囤水！',
        '【证据】截图 1 张，另行附上。',
        '（由清朗举报助手整理，报告编号 0b8f2a4e-4a57-4d2c-9a43-7c1f4f5d2a10）',
      ].join('\n'),
    );
    expect(text['截图']).toBe(`element.png  SHA-256 ${'b'.repeat(64)}`);
    expect(text['联系方式']).toBe('');
  });

  it('writes an English channel in English, and prefers the link or the post over the page', () => {
    const english = { ...byId('cac-12377-web'), language: 'en' as const };
    const r = report({ explanation: '' }, { permalink: 'https://weibo.com/1234/Post', capturedAt: '2026-12-06T06:00:00Z' });
    expect(descriptionText(english, r).split('\n').slice(0, 4)).toEqual([
      'Category: Rumor — Disaster or emergency rumor',
      'Address: https://weibo.com/1234/Post',
      'Page title: 明天全市停水三天',
      'Seen at: 2026-12-06 06:00 (UTC+00:00)',
    ]);
    expect(fieldText(english, { source: 'url' }, report({}, { linkUrl: 'https://t.cn/abc', permalink: 'https://weibo.com/p' }))).toBe('https://t.cn/abc');
    expect(fieldText(english, { source: 'contact' }, report({ reporter: { name: 'Li Lei', contact: 'li@example.org' } }))).toBe('Li Lei li@example.org');
    expect(readableTime('not a time')).toBe('not a time');
  });

  it('drafts an email to 12377 with subject and body, attachments listed to add by hand', () => {
    const email = byId('cac-12377-email');
    const draft = mailtoDraft(email, report());
    expect(draft).toBeDefined();
    const url = new URL(draft!);
    expect(url.protocol).toBe('mailto:');
    expect(url.pathname).toBe('jubao@12377.cn');
    expect(url.searchParams.get('subject')).toBe(subjectText(email, report()));
    expect(url.searchParams.get('subject')).toBe('举报：谣言类 — 明天全市停水三天');
    const body = url.searchParams.get('body')!;
    expect(body).toContain('举报网址：https://weibo.com/1234/AbCd');
    expect(body).toContain('举报类型：谣言类');
    expect(body).toContain('【发现时间】2026-12-06 14:03 (UTC+08:00)');
    expect(body).toContain('请手动添加以下附件：element.png');
    expect(mailtoDraft(byId('cac-12377-web'), report())).toBeUndefined();
  });
});

describe('a school policy and the catalogue', () => {
  const own = {
    ...byId('cac-12377-email'),
    id: 'district-safeguarding',
    name: { zh_CN: '区教育局安全办', en: 'District safeguarding office' },
    emailAddress: 'safe@district.example.org',
  };

  it('restricts the list to the channels it names, in its order, and adds its own first', () => {
    const parsed = parsePolicy({ handoff: { only: ['piyao-web', 'cac-12377-web', 'no-such-channel'], channels: [own] } });
    expect(parsed.problems).toEqual([]);
    const offered = offeredChannels(SHIPPED_CATALOGUE, parsed.values.handoff).map((c) => c.id);
    expect(offered).toEqual(['district-safeguarding', 'piyao-web', 'cac-12377-web']);
    expect(offeredChannels(SHIPPED_CATALOGUE, undefined)).toHaveLength(SHIPPED_CATALOGUE.channels.length);
  });

  it('reports an invalid channel in the policy instead of offering it', () => {
    const parsed = parsePolicy({ handoff: { channels: [{ ...own, formUrl: 'javascript:alert(1)' }] } });
    expect(parsed.values.handoff).toBeUndefined();
    expect(parsed.problems.map((p) => p.key)).toEqual(['handoff']);
  });
});
