import { expect, nextReportWindow, pickByClick, startPicker, storeRows, test } from './support/picker';

/**
 * Issue 19: the picker's first highlight is the post, not the paragraph. On fixture feeds shaped
 * like the sites parents meet (our own markup, never the real sites), one click on a line of a
 * post's text picks the whole post — author, text and all — and nothing of its neighbours.
 */
const FEEDS = [
  { file: 'weibo.html', post: '.card-wrap', text: '.txt' },
  { file: 'douyin-comments.html', post: '.comment-item', text: '.comment-text span span' },
  { file: 'bilibili-comments.html', post: '.reply-item', text: '.root-reply .reply-content' },
  { file: 'zhihu-answers.html', post: '.List-item', text: '.RichText p:nth-child(2)' },
  { file: 'forum-thread.html', post: 'tr.post', text: '.message font' },
] as const;

type Capture = { target: { tagName?: string; text?: string; selectors?: Array<{ type: string; value?: string }> } };

test('a first click on the text of a post picks the whole post, on feeds shaped like Weibo, Douyin, Bilibili, Zhihu and a forum', async ({
  extension,
  site,
}) => {
  const page = await extension.context.newPage();
  for (const feed of FEEDS) {
    await page.goto(`${site.url}/feeds/${feed.file}`);
    const post = page.locator(feed.post).nth(1);
    const line = post.locator(feed.text).first();
    await startPicker(extension, page);
    const form = await pickByClick(extension, page, line, { x: 6, y: 6 });
    await form.close();

    const [capture] = (await storeRows(extension, 'captures')) as Capture[];
    const css = capture?.target.selectors?.find((s) => s.type === 'CssSelector')?.value;
    expect(css, feed.file).toBeTruthy();
    // The selector finds exactly the second post of the feed again.
    expect(
      await page.evaluate(
        ([selector, postSelector]) => [...document.querySelectorAll(selector)].map((el) => el === document.querySelectorAll(postSelector)[1]),
        [css!, feed.post] as const,
      ),
      feed.file,
    ).toEqual([true]);
    // Its author and text, and none of the neighbouring posts.
    expect(capture?.target.text, feed.file).toContain((await post.innerText()).split('\n')[0]!.trim().slice(0, 4));
    expect(capture?.target.text, feed.file).toContain('紧急扩散');
    expect(capture?.target.text, feed.file).not.toContain('晴天小狗');
    expect(capture?.target.text, feed.file).not.toContain('路人甲');
    // Leave no capture behind for the next feed.
    await clearCaptures(extension);
  }
});

test('↓ walks from the post in towards the line under the pointer, ↑ back out; Enter picks what is outlined', async ({ extension, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/feeds/douyin-comments.html`);
  await startPicker(extension, page);
  const line = page.locator('.comment-item').nth(1).locator('.comment-text');
  const box = (await line.boundingBox())!;
  await page.mouse.move(box.x + 6, box.y + 6, { steps: 2 });
  const opened = nextReportWindow(extension);
  await page.keyboard.press('ArrowDown'); // comment-item → comment-main
  await page.keyboard.press('ArrowDown'); // → p.comment-text
  await page.keyboard.press('ArrowUp'); // → comment-main
  await page.keyboard.press('Enter');
  await (await opened).close();
  const [capture] = (await storeRows(extension, 'captures')) as Capture[];
  const css = capture?.target.selectors?.find((s) => s.type === 'CssSelector')?.value;
  expect(
    await page.evaluate((selector) => [...document.querySelectorAll(selector)].map((el) => el === document.querySelectorAll('.comment-main')[1]), css!),
  ).toEqual([true]);
});

async function clearCaptures(extension: import('./support/extension').ExtensionHarness) {
  const page = await extension.context.newPage();
  await page.goto(extension.url('options.html'));
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('flagline');
        open.onsuccess = () => {
          const tx = open.result.transaction(['captures', 'artifacts'], 'readwrite');
          tx.objectStore('captures').clear();
          tx.objectStore('artifacts').clear();
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error ?? new Error('clear failed'));
        };
      }),
  );
  await page.close();
}
