import { describe, expect, it } from 'vitest';
import { CATALOGS, createGetMessage } from './chrome-i18n';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';

const placeholderNames = (message: string) => [...message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1]?.toLowerCase()).sort();

describe('translations', () => {
  const en = CATALOGS.en;
  const zh = CATALOGS.zh_CN;

  it('English and Simplified Chinese have exactly the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('every message uses the same placeholders in both languages, each one declared', () => {
    for (const key of Object.keys(en)) {
      const enEntry = en[key]!;
      const zhEntry = zh[key]!;
      expect(placeholderNames(zhEntry.message), key).toEqual(placeholderNames(enEntry.message));
      expect(Object.keys(zhEntry.placeholders ?? {}).sort(), key).toEqual(Object.keys(enEntry.placeholders ?? {}).sort());
      for (const name of placeholderNames(enEntry.message)) expect(enEntry.placeholders?.[name!], `${key} ${name}`).toBeDefined();
    }
  });

  it('every Chinese message is actually Chinese', () => {
    for (const [key, entry] of Object.entries(zh)) {
      if (key === 'localeTag') continue;
      expect(entry.message, key).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('keeps the UI-contract names stable in English and translates them in Chinese', () => {
    const t = createGetMessage(en);
    const tz = createGetMessage(zh);
    const contract = {
      category_rumor: ['Rumor', '谣言'],
      category_cyberviolence: ['Cyberviolence', '网络暴力'],
      category_minors: ['Harmful to minors', '危害未成年人'],
      popup_explanationLabel: ['Explanation', '说明'],
      popup_submit: ['Submit report', '提交举报'],
      options_endpointLabel: ['Endpoint URL', '举报接收地址'],
      options_tokenLabel: ['Access token', '访问令牌'],
      options_save: ['Save settings', '保存设置'],
    };
    for (const [key, [english, chinese]] of Object.entries(contract)) {
      expect(t(key)).toBe(english);
      expect(tz(key)).toBe(chinese);
    }
  });

  it('has a label in both languages for every built-in category and sub-reason', () => {
    for (const category of BUILT_IN_CATEGORIES) {
      for (const key of [category.label, category.hint, ...category.reasons.map((r) => r.label)]) {
        expect(en[key], key).toBeDefined();
        expect(zh[key], key).toBeDefined();
      }
    }
  });

  it('fills placeholders the way Chromium does', () => {
    expect(createGetMessage(en)('popup_sent_receipt', ['FL-1'])).toBe('Report sent. Thank you. Receipt: FL-1');
    expect(createGetMessage(zh)('popup_sent_receipt', ['FL-1'])).toBe('举报已发送，谢谢您。回执编号：FL-1');
  });
});
