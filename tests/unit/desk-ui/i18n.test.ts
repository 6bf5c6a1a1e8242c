import { describe, expect, it } from 'vitest';
import { en } from '../../../desk/ui/i18n/en';
import { zh } from '../../../desk/ui/i18n/zh';
import { messagesFor, pickLocale } from '../../../desk/ui/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort();

describe('Desk interface catalogues', () => {
  it('zh-CN has every English key, none empty, with the same substitutions', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect(text.trim(), key).not.toBe('');
      expect(zh[key as keyof typeof en].trim(), key).not.toBe('');
      expect(placeholders(zh[key as keyof typeof en]), key).toEqual(placeholders(text));
    }
  });

  it('keeps the English accessible names of the UI contract', () => {
    expect([en.email, en.password, en.signIn, en.search, en.status, en.outcome, en.publicNote, en.internalNote, en.assignTo, en.save]).toEqual([
      'Email',
      'Password',
      'Sign in',
      'Search',
      'Status',
      'Outcome',
      'Public note',
      'Internal note',
      'Assign to',
      'Save',
    ]);
    expect([en.state_new, en.state_in_review, en.state_forwarded, en.state_closed]).toEqual(['New', 'In review', 'Forwarded', 'Closed']);
    expect([en.outcome_removed, en.outcome_no_violation, en.outcome_referred, en.outcome_duplicate]).toEqual([
      'Removed',
      'No violation',
      'Referred to authorities',
      'Duplicate',
    ]);
  });

  it('picks the stored choice, else the first browser language it speaks', () => {
    expect(pickLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLocale(null, ['fr', 'en-GB'])).toBe('en');
    expect(pickLocale(null, ['fr'])).toBe('en');
    expect(pickLocale('en', ['zh-CN'])).toBe('en');
    expect(pickLocale('xx', ['zh-CN'])).toBe('zh-CN');
  });

  it('names categories and sub-reasons with the extension’s words', () => {
    expect(messagesFor('zh-CN').category('minors')).toBe('危害未成年人');
    expect(messagesFor('en').subReason('minors', 'child_exploitation')).toMatch(/exploit/i);
    expect(messagesFor('en').category('custom:school-bullying')).toBe('school-bullying');
  });
});
