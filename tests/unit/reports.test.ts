import { describe, expect, it, vi } from 'vitest';
import { createHandlers } from '@/utils/background/handlers';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { buildReport, saveNewReport, type ReportFactory } from '@/utils/reports';
import { Report } from '@/utils/schema/report';
import type { TabSource } from '@/utils/tabs';
import { freshDb, testClock } from './helpers';

const factory = (): ReportFactory => ({
  clock: testClock(),
  newId: () => '0b6f3b7e-7d2c-4d8a-9a51-5a8c8f0e2a11',
  categories: BUILT_IN_CATEGORIES,
  client: { version: '1.2.3', locale: 'zh-CN' },
});

const tab = { url: 'https://weibo.example/post/1', title: 'A post' };

describe('buildReport', () => {
  it('builds a valid report from the choice and the tab record', () => {
    const report = buildReport({ tabId: 1, category: 'rumor', subReason: 'health_safety', explanation: '  fake cure  ', goodFaith: true }, tab, factory());
    expect(Report.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      schemaVersion: 1,
      id: '0b6f3b7e-7d2c-4d8a-9a51-5a8c8f0e2a11',
      category: 'rumor',
      subReason: 'health_safety',
      dsaCategory: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
      explanation: 'fake cure',
      target: { kind: 'page', url: tab.url, title: tab.title },
      client: { name: 'flagline', version: '1.2.3', locale: 'zh-CN' },
    });
    expect(report.goodFaith).toEqual({ accepted: true, at: report.createdAt });
    expect(report.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
  });

  it('uses the category code when the sub-reason has none, or no sub-reason is given', () => {
    expect(buildReport({ tabId: 1, category: 'minors', explanation: '', goodFaith: true }, tab, factory()).dsaCategory).toBe(
      'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
    );
  });

  it('refuses unknown categories and sub-reasons of another category', () => {
    expect(() => buildReport({ tabId: 1, category: 'spam', explanation: '', goodFaith: true }, tab, factory())).toThrow(/unknown category/);
    expect(() => buildReport({ tabId: 1, category: 'rumor', subReason: 'doxxing', explanation: '', goodFaith: true }, tab, factory())).toThrow(
      /unknown sub-reason/,
    );
  });
});

describe('saveNewReport', () => {
  it('stores the report as waiting, due now', async () => {
    const db = freshDb();
    const f = factory();
    const report = buildReport({ tabId: 1, category: 'cyberviolence', explanation: 'x', goodFaith: true }, tab, f);
    await saveNewReport(db, report, f.clock);
    expect(await db.reports.get(report.id)).toMatchObject({ status: 'waiting', attempts: 0, nextAttemptAt: f.clock(), report });
  });
});

describe('background handlers', () => {
  const tabs = (record: { url?: string; title?: string }): TabSource => ({ get: async () => record, fileSchemeAllowed: async () => false });

  it('submitReport saves with the tab record URL and title, then starts delivery', async () => {
    const db = freshDb();
    const seenAtFlush: unknown[] = [];
    const flush = vi.fn(async () => {
      seenAtFlush.push(await db.reports.count());
      return { attempted: 0, sent: 0, failed: 0, retrying: 0 };
    });
    const handlers = createHandlers({ db, tabs: tabs({ url: 'https://real.example/p', title: 'Real title' }), reportFactory: factory(), flush });
    const result = await handlers.submitReport({ tabId: 7, category: 'rumor', explanation: 'why', goodFaith: true }, {});
    expect(result.status).toBe('waiting');
    const stored = await db.reports.get(result.id);
    expect(stored?.report.target).toEqual({ kind: 'page', url: 'https://real.example/p', title: 'Real title' });
    await vi.waitFor(() => expect(flush).toHaveBeenCalled());
    expect(seenAtFlush).toEqual([1]);
  });

  it('submitReport holds the report for review, and sends nothing, when review before send is on', async () => {
    const db = freshDb();
    const flush = vi.fn(async () => ({ attempted: 0, sent: 0, failed: 0, retrying: 0 }));
    const handlers = createHandlers({
      db,
      tabs: tabs({ url: 'https://real.example/p', title: 'Real title' }),
      reportFactory: factory(),
      flush,
      holdForReview: async () => true,
    });
    const result = await handlers.submitReport({ tabId: 7, category: 'rumor', explanation: 'later', goodFaith: true }, {});
    expect(result.status).toBe('held');
    expect((await db.reports.get(result.id))?.status).toBe('held');
    expect(flush).not.toHaveBeenCalled();
  });

  it('submitReport refuses a tab that is not reportable and saves nothing', async () => {
    const db = freshDb();
    const flush = vi.fn();
    const handlers = createHandlers({ db, tabs: tabs({ url: 'chrome://settings/' }), reportFactory: factory(), flush });
    await expect(handlers.submitReport({ tabId: 7, category: 'rumor', explanation: '', goodFaith: true }, {})).rejects.toMatchObject({
      code: 'tab_not_reportable',
    });
    expect(await db.reports.count()).toBe(0);
    expect(flush).not.toHaveBeenCalled();
  });
});
