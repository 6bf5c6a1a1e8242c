import { describe, expect, it } from 'vitest';
import { canonicalUrl, capturedTextHash } from '../../desk/store/canonical';
import { indexTerms, prefixEnd, queryTerms } from '../../desk/store/search';

describe('canonical URLs', () => {
  it.each([
    ['HTTPS://Weibo.Example:443/post/1', 'https://weibo.example/post/1'],
    ['http://example.com:80/a?b=1', 'http://example.com/a?b=1'],
    ['http://example.com:8080/a', 'http://example.com:8080/a'],
    ['https://example.com/a#comments', 'https://example.com/a'],
    ['https://example.com/a/?utm_source=x&utm_medium=y&id=3', 'https://example.com/a?id=3'],
    ['https://m.example.com/v?spm=a2h.b&from=timeline&share_token=z&fbclid=1&gclid=2&vid=9', 'https://m.example.com/v?vid=9'],
    ['https://example.com/p?b=2&a=1', 'https://example.com/p?a=1&b=2'],
    ['https://user:pw@example.com/', 'https://example.com/'],
    ['not a url', 'not a url'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('hashes captured text with spacing and case folded, and ignores text too short to mean anything', () => {
    expect(capturedTextHash('明天全市停水三天，请转告')).toBe(capturedTextHash('  明天全市停水三天，请转告\n'));
    expect(capturedTextHash('Water OFF  for three days')).toBe(capturedTextHash('water off for three days'));
    expect(capturedTextHash('好的')).toBeUndefined();
    expect(capturedTextHash(undefined)).toBeUndefined();
  });
});

describe('search terms', () => {
  it('indexes overlapping CJK bigrams, the last character of each run, and lower-case words', () => {
    expect(indexTerms('明天全市停水三天')).toEqual(['明天', '天全', '全市', '市停', '停水', '水三', '三天', '天']);
    expect(indexTerms('Water 停水 in 2026!', 'https://Weibo.example/post/42')).toEqual([
      '停水',
      '水',
      'water',
      'in',
      '2026',
      'https',
      'weibo',
      'example',
      'post',
      '42',
    ]);
    expect(indexTerms('ｗａｔｅｒ')).toEqual(['water']);
  });

  it('turns a query into exact terms, and a lone CJK character into a prefix', () => {
    expect(queryTerms('停水')).toEqual({ exact: ['停水'], prefixes: [] });
    expect(queryTerms('全市停水')).toEqual({ exact: ['全市', '市停', '停水'], prefixes: [] });
    expect(queryTerms('水 Water')).toEqual({ exact: ['water'], prefixes: ['水'] });
    expect(queryTerms(' ,.; ')).toBeUndefined();
    expect(prefixEnd('停') > '停水').toBe(true);
    expect(prefixEnd('停') > '停\u{2A6DF}').toBe(true);
  });
});
