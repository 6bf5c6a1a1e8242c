import { describe, expect, it } from 'vitest';
import { duplicateIndex, duplicateKey, findDuplicateGroups, mergeExplanations, normalizeUrl } from '@/utils/workspace/duplicates';

describe('normalizeUrl', () => {
  it('drops the fragment, utm_* parameters and a trailing slash, and sorts the rest', () => {
    expect(normalizeUrl('https://News.Example/post/1/?utm_source=wx&b=2&a=1&UTM_medium=x#comments')).toBe('https://news.example/post/1?a=1&b=2');
    expect(normalizeUrl('https://news.example/')).toBe('https://news.example');
    expect(normalizeUrl('https://news.example/post/1')).toBe(normalizeUrl('https://news.example/post/1/#top'));
  });
  it('keeps parameters that identify content', () => {
    expect(normalizeUrl('https://v.example/watch?v=abc')).not.toBe(normalizeUrl('https://v.example/watch?v=xyz'));
  });
});

describe('duplicate detection', () => {
  const base = { url: 'https://news.example/p?id=7', category: 'rumor' };

  it('same URL and same captured text are duplicates, whatever the category', () => {
    const groups = findDuplicateGroups([
      { id: 'a', ...base, text: '假消息：某地 地震' },
      { id: 'b', ...base, url: 'https://news.example/p?id=7&utm_source=share#c', category: 'cyberviolence', text: '假消息：某地\n地震' },
      { id: 'c', ...base, text: '另一段文字' },
    ]);
    expect([...groups.values()]).toEqual([['a', 'b']]);
  });

  it('without captured text, same URL and same category are duplicates; another category is not', () => {
    const groups = findDuplicateGroups([
      { id: 'a', ...base },
      { id: 'b', ...base },
      { id: 'c', ...base, category: 'minors' },
    ]);
    expect([...groups.values()]).toEqual([['a', 'b']]);
  });

  it('uses the canonical URL when the page declared one', () => {
    const groups = findDuplicateGroups([
      { id: 'a', url: 'https://m.news.example/p/7', canonicalUrl: 'https://news.example/p/7', category: 'rumor' },
      { id: 'b', url: 'https://news.example/p/7/', category: 'rumor' },
    ]);
    expect(duplicateIndex(groups).get('a')).toEqual(['a', 'b']);
  });

  it('does not flag a group the user chose to send on purpose', () => {
    expect(
      findDuplicateGroups([
        { id: 'a', ...base, duplicateAck: true },
        { id: 'b', ...base, duplicateAck: true },
      ]).size,
    ).toBe(0);
    expect(
      findDuplicateGroups([
        { id: 'a', ...base, duplicateAck: true },
        { id: 'b', ...base },
      ]).size,
    ).toBe(1);
  });

  it('text and no text are different keys', () => {
    expect(duplicateKey({ id: 'a', ...base, text: 'x' })).not.toBe(duplicateKey({ id: 'b', ...base }));
  });
});

describe('mergeExplanations', () => {
  it('keeps each distinct explanation once, in order', () => {
    expect(mergeExplanations(['造谣', ' 造谣 ', '', 'also fake'])).toBe('造谣\n\nalso fake');
  });
  it('refuses a merge that would be too long to send', () => {
    expect(mergeExplanations(['a'.repeat(30), 'b'.repeat(30)], 50)).toBeUndefined();
  });
});
