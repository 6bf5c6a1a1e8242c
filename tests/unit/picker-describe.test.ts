// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import {
  anchorQuote,
  capText,
  cssSelectorFor,
  describeElementText,
  describeRange,
  likelyPermalink,
  linksIn,
  mediaIn,
  pageFacts,
  resolveCssSelector,
  CONTEXT_CHARS,
  SELECTOR_CHARS,
  SELECTOR_DEPTH,
  TEXT_MAX,
  URLS_MAX,
} from '@/utils/picker/describe';
import { elementPayload } from '@/utils/picker/overlay/payload';
import { CAPTURE_TEXT_MAX, CAPTURE_URLS_MAX, CssSelector, PickerCapture, QUOTE_CONTEXT, SELECTOR_DEPTH_MAX, SELECTOR_MAX } from '@/utils/schema/capture';

const FEED = `
  <header><h1>Feed</h1></header>
  <main>
    <article class="post"><p>First post about weather.</p><a href="/u/alice">alice</a> <a href="/status/1001"><time>1h</time></a></article>
    <article class="post"><p>Salt water prevents every virus!</p><a href="/u/bob">bob</a> <a href="/post/abc123">link</a>
      <img src="/img/a.png"><video src="/v/b.mp4" poster="/v/b.jpg"></video></article>
    <article class="post"><p>Third post repeats: Salt water prevents every virus!</p><a href="https://other.example/">x</a></article>
  </main>`;

beforeEach(() => {
  document.head.innerHTML = '<link rel="canonical" href="https://news.example/canonical">';
  document.documentElement.lang = 'zh-CN';
  document.body.replaceChildren(...new DOMParser().parseFromString(FEED, 'text/html').body.childNodes);
});

describe('CSS selectors', () => {
  it('find exactly the picked element again, for every element on the page', () => {
    for (const element of document.body.querySelectorAll('*')) {
      const selector = cssSelectorFor(element);
      expect(document.querySelectorAll(selector.value)).toHaveLength(1);
      expect(document.querySelector(selector.value)).toBe(element);
    }
  });

  it('go through open shadow roots with refinedBy', () => {
    const host = document.createElement('x-card');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<div><p>one</p><p class="target">two</p></div>';
    const target = shadow.querySelector('.target')!;
    const selector = cssSelectorFor(target);
    expect(selector.refinedBy).toBeDefined();
    expect(resolveCssSelector(document, selector)).toEqual([target]);
  });
});

describe('a page that makes the usual selector unusable (issue 20, finding 3)', () => {
  const token = '00000000-0000-4000-8000-0000000000aa';
  const pickable = (element: Element) => PickerCapture.safeParse(elementPayload(element, { token, win: window }, () => undefined));

  it('an element with a 5,000-character id gets a shorter selector that finds it, and the pick passes the schema', () => {
    const post = document.querySelectorAll('article')[1]!;
    post.id = 'x'.repeat(5000);
    post.className = 'y'.repeat(5000);
    const selector = cssSelectorFor(post);
    expect(selector.value.length).toBeLessThanOrEqual(SELECTOR_MAX);
    expect(resolveCssSelector(document, selector)).toEqual([post]);
    expect(pickable(post).success).toBe(true);
  });

  it('a DOM deeper than the cap gets the structural path nearest the element, under the cap', () => {
    let parent: Element = document.body;
    for (let i = 0; i < 600; i++) parent = parent.appendChild(document.createElement('div'));
    const deep = parent.appendChild(document.createElement('p'));
    deep.textContent = 'deep';
    const selector = cssSelectorFor(deep);
    expect(selector.value.length).toBeLessThanOrEqual(SELECTOR_MAX);
    expect(resolveCssSelector(document, selector)).toContain(deep);
    expect(pickable(deep).success).toBe(true);
  });

  it('shadow roots nested deeper than 8 keep the outermost 8 hosts', () => {
    let scope: Element | ShadowRoot = document.body;
    const hosts: Element[] = [];
    for (let i = 0; i < 12; i++) {
      const host = document.createElement('x-nest');
      scope.append(host);
      hosts.push(host);
      scope = host.attachShadow({ mode: 'open' });
    }
    const inner = document.createElement('p');
    inner.textContent = 'innermost';
    scope.append(inner);
    const selector = cssSelectorFor(inner);
    expect(CssSelector.safeParse(selector).success).toBe(true);
    expect(resolveCssSelector(document, selector)).toEqual([hosts[SELECTOR_DEPTH_MAX - 1]]);
    expect(pickable(inner).success).toBe(true);
  });
});

describe('text quote and position', () => {
  it('describe an element so the quote re-anchors at the same position', () => {
    const second = document.querySelectorAll('article')[1]!;
    const [quote, position] = describeElementText(second)!;
    const all = document.body.textContent;
    expect(quote.exact).toBe(second.textContent);
    expect(all.slice(position.start, position.end)).toBe(quote.exact);
    expect(anchorQuote(all, quote)).toBe(position.start);
    expect(quote.prefix.length).toBeGreaterThan(0);
    expect(quote.suffix.length).toBeGreaterThan(0);
  });

  it('tell apart a repeated phrase by prefix and suffix', () => {
    const p = document.querySelectorAll('article p')[2]!;
    const text = p.firstChild as Text;
    const range = document.createRange();
    const phrase = 'Salt water prevents every virus!';
    range.setStart(text, text.data.indexOf(phrase));
    range.setEnd(text, text.data.indexOf(phrase) + phrase.length);
    const [quote, position] = describeRange(range);
    const all = document.body.textContent;
    expect(quote.exact).toBe(phrase);
    // The first occurrence is in the second post; the quote's context points at the third.
    expect(all.indexOf(phrase)).toBeLessThan(position.start);
    expect(anchorQuote(all, quote)).toBe(position.start);
  });

  it('range boundaries in elements count the text before them', () => {
    const main = document.querySelector('main')!;
    const range = document.createRange();
    range.setStart(main, 1);
    range.setEnd(main, 2);
    const [quote] = describeRange(range);
    expect(quote.exact).toBe(main.children[0]!.textContent);
  });

  it('caps long text and says so', () => {
    expect(capText('x'.repeat(TEXT_MAX + 5))).toEqual({ text: 'x'.repeat(TEXT_MAX), truncated: true });
    expect(capText('short')).toEqual({ text: 'short', truncated: false });
  });
});

describe('links, media and permalink', () => {
  it('collects absolute link and media URLs', () => {
    const second = document.querySelectorAll('article')[1]!;
    const origin = location.origin;
    expect(linksIn(second)).toEqual([`${origin}/u/bob`, `${origin}/post/abc123`]);
    expect(mediaIn(second)).toEqual([
      { type: 'image', url: `${origin}/img/a.png` },
      { type: 'video', url: `${origin}/v/b.mp4` },
      { type: 'image', url: `${origin}/v/b.jpg` },
    ]);
  });

  it('prefers the link around a <time>, then post-like addresses, else none', () => {
    const [first, second, third] = document.querySelectorAll('article');
    expect(likelyPermalink(first!)).toBe(`${location.origin}/status/1001`);
    expect(likelyPermalink(second!)).toBe(`${location.origin}/post/abc123`);
    expect(likelyPermalink(third!)).toBeUndefined();
  });

  it('reads canonical URL and language', () => {
    expect(pageFacts(document)).toEqual({ canonicalUrl: 'https://news.example/canonical', lang: 'zh-CN' });
  });
});

describe('limits', () => {
  it("are the capture schema's (the picker cannot import values from it without bundling zod)", () => {
    expect([TEXT_MAX, URLS_MAX, CONTEXT_CHARS, SELECTOR_CHARS, SELECTOR_DEPTH]).toEqual([
      CAPTURE_TEXT_MAX,
      CAPTURE_URLS_MAX,
      QUOTE_CONTEXT,
      SELECTOR_MAX,
      SELECTOR_DEPTH_MAX,
    ]);
  });
});
