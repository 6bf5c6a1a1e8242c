import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page, Worker } from '@playwright/test';
import { startReceiver } from '../../../tests/support/receiver';
import { ExtensionHarness } from '../../../tests/e2e/support/extension';
import { startStaticServer } from '../../../tests/e2e/support/static-server';
import { median, sample, type Figure } from '../harness';

/**
 * - `picker.gzBytes`: the production picker.js, gzipped (level 9).
 * - `picker.readyMs`: `startPicker` sent from an extension page → the picker's
 *   `flagline:picker-ready` mark in the page (both on the browser's wall clock).
 * - `picker.moveP95Ms`: 95th percentile of the picker's own pointer-move handling time (measured
 *   inside the handler, `flagline:picker-move` measures) over 150 moves on the 20,000-element page.
 * - `capture.savedMs`: the pick (the click, page clock) → viewport screenshot, crop, hashes and
 *   capture all committed to IndexedDB (the worker's `flagline:capture:saved` mark, set after the
 *   last transaction completed); includes the frame the overlay needs to leave the screen.
 * - `capture.rawCaptureMs`: a bare `tabs.captureVisibleTab` in the same browser and tab.
 * - `report.formReadyMs`: the pick (page clock) → the report window's form is interactive (the
 *   window's `flagline:ready` mark, at its first render: categories and Submit report usable, the
 *   evidence line filled in as the capture is read), on the same picks as `capture.savedMs`. The
 *   window opens once the capture is saved (utils/evidence/capture.ts says why not sooner).
 * - `capture.rawAfterFrameMs`: the same bare call, made as soon as the page has rendered a frame
 *   without a box it showed (a stand-in for the picker's outline, hidden by the page's script,
 *   the way the picker hides its overlay before the screenshot). Not a target: it shows what
 *   Chromium's capture costs in the state every pick is captured in. Chromium answers a capture
 *   right after the page changed 15–20 ms later than one of a page that has been still
 *   (a throwaway experiment, 16 interleaved rounds: 57–61 ms still, 75–79 ms after a change, 69 ms
 *   50 ms after it).
 * - `capture.floorMs`: what no pick with an outline drawn in the page can beat, with nothing of the
 *   picker's own: a box the page showed is taken out, the page waits for the frame without it (as
 *   the picker does), sends one message to the worker, which makes the bare capture. Not a target:
 *   it shows how much of `capture.savedMs` is the browser's, next to issue 19's goal of 1.2 ×
 *   rawAfterFrameMs (which leaves out the frame and the message).
 * `BENCH_DEBUG=1` also prints, per pick, when each stage of the capture was reached (marks
 * `flagline:capture:*` in the picker and the worker), and their medians; and per start of the
 * picker, when each stage of the injection was reached (`flagline:ready:*`).
 * Uses the e2e-capture build: `<all_urls>` stands in for the activeTab grant automation can't give.
 */
export async function measurePicker(runs = 9, debug = !!process.env.BENCH_DEBUG): Promise<Figure[]> {
  const gz = gzipSync(await readFile(resolve('.output/chrome-mv3/picker.js')), { level: 9 }).length;
  const site = await startStaticServer(resolve('tests/fixtures'));
  const receiver = await startReceiver();
  const extension = await ExtensionHarness.launch({ extensionDir: resolve('.output/chrome-mv3-e2e-capture') });
  try {
    const page = await extension.context.newPage();
    await page.goto(`${site.url}/big.html`);
    const tabId = await extension.tabIdOf(page);
    const control = await extension.context.newPage();
    await control.goto(extension.url(`popup.html?tabId=${tabId}`));
    const worker = await extension.worker();

    /**
     * A user asks for the picker on a page they can see: wait until the reloaded page has
     * painted and the next frame is done. Without this the request raced the page's own first
     * render (big.html lays out its 20,000 elements after the load event: up to 800 ms on this
     * shared machine), and `scripting.executeScript` waits for the page's main thread — a start
     * sent 8 ms before the first paint took 155 ms, one sent 758 ms before it 779 ms. readyMs
     * measured that render, not the picker, and swung with how soon after `reload()` resolved
     * the start happened to be sent (58 ms in one run, 245–311 ms in full runs).
     */
    const painted = (target: Page) =>
      target.evaluate(
        `new Promise((resolve) => {
          const next = () => requestAnimationFrame(() => setTimeout(resolve, 0));
          if (performance.getEntriesByName('first-contentful-paint').length) return next();
          new PerformanceObserver((list, observer) => { observer.disconnect(); next(); }).observe({ type: 'paint' });
        })`,
      );
    const start = async (target: Page) => {
      await target.bringToFront();
      await painted(target);
      const sentAt = await control.evaluate(async (id) => {
        const at = performance.timeOrigin + performance.now();
        await chrome.runtime.sendMessage({ type: 'startPicker', payload: { tabId: id } });
        return at;
      }, tabId);
      await target.locator('flagline-picker').waitFor({ state: 'attached' });
      await target.bringToFront();
      return sentAt;
    };

    const readMarksOf = (prefix: string) => (target: Page | Worker) => {
      const code = `(() => { const found = performance.getEntriesByType('mark').filter((m) => m.name.startsWith(${JSON.stringify(prefix)})).map((m) => [m.name.slice(${prefix.length}), performance.timeOrigin + m.startTime]); performance.clearMarks(); return found; })()`;
      return 'keyboard' in target ? target.evaluate<Array<[string, number]>>(code) : target.evaluate<Array<[string, number]>>(code);
    };
    const readyMarks = readMarksOf('flagline:ready:');
    const ready = await sample(runs, async () => {
      await page.reload();
      if (debug) await readyMarks(worker);
      const sentAt = await start(page);
      const readyAt = await page.evaluate(() => performance.timeOrigin + (performance.getEntriesByName('flagline:picker-ready')[0]?.startTime ?? NaN));
      if (debug) {
        const all = [...(await readyMarks(page)), ...(await readyMarks(worker))].sort((a, b) => a[1] - b[1]);
        const loadedAt = await page.evaluate<number>(`performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd`);
        console.log(
          `readyMs ${(readyAt - sentAt).toFixed(1)} (sent ${(sentAt - loadedAt).toFixed(0)} ms after load): ${all.map(([name, at]) => `${name} +${(at - sentAt).toFixed(1)}`).join(', ')}`,
        );
      }
      await page.keyboard.press('Escape');
      return readyAt - sentAt;
    });

    const moves = await sample(runs, async () => {
      await page.reload();
      await start(page);
      for (let i = 0; i < 150; i++) {
        await page.mouse.move(20 + ((i * 37) % 560), 60 + ((i * 53) % 500));
        if (i % 5 === 0) await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
      }
      const durations = await page.evaluate(() => performance.getEntriesByName('flagline:picker-move').map((e) => e.duration));
      await page.keyboard.press('Escape');
      const sorted = durations.sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? NaN;
    });

    const saved: number[] = [];
    const formReady: number[] = [];
    const raw: number[] = [];
    const rawAfterFrame: number[] = [];
    const floor: number[] = [];
    // BENCH_DEBUG=1: where the time goes, from the flagline:capture:* marks (page and worker).
    const stages: Record<string, number[]> = {};
    const readMarks = () => {
      const found = performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('flagline:capture:'))
        .map((m) => [m.name.slice('flagline:capture:'.length), performance.timeOrigin + m.startTime] as [string, number]);
      performance.clearMarks();
      return found;
    };
    const marks = (target: Page | Worker) => ('keyboard' in target ? target.evaluate(readMarks) : target.evaluate(readMarks));
    await page.goto(`${site.url}/article.html`);
    for (let i = 0; i < runs; i++) {
      await page.reload();
      await start(page);
      await marks(worker); // clears what came before this pick
      const form = extension.context.waitForEvent('page', { predicate: (p) => p.url().includes('/report.html') });
      const box = (await page.locator('article').boundingBox())!;
      await page.mouse.move(box.x + 2, box.y + 2);
      await page.mouse.click(box.x + 2, box.y + 2);
      const report = await form;
      const captureId = new URL(report.url()).searchParams.get('capture')!;
      const timing = await control.evaluate(
        (id) =>
          new Promise<{ pickedAt?: number }>((resolveRow, reject) => {
            const open = indexedDB.open('flagline');
            open.onerror = () => reject(open.error ?? new Error('IndexedDB request failed'));
            open.onsuccess = () => {
              const get = open.result.transaction('captures').objectStore('captures').get(id);
              get.onsuccess = () => resolveRow(get.result ?? {});
            };
          }),
        captureId,
      );
      // The report window is interactive: its `flagline:ready` mark (the form's first render).
      await report.waitForFunction(() => performance.getEntriesByName('flagline:ready').length > 0);
      const readyAt = await report.evaluate(() => performance.timeOrigin + performance.getEntriesByName('flagline:ready')[0]!.startTime);
      formReady.push(readyAt - (timing.pickedAt ?? NaN));
      // Saved = the worker's mark after the last transaction committed (the record's own
      // `savedAt` is taken inside that transaction, before its commit). The form opens before
      // that, so it may still be on its way. The first picks after the browser started can wait
      // for the browser's first policy answer (seconds; its `recorded` mark says so): that is
      // `capture.firstPickSavedMs` (first-pick.ts), left out here.
      const savedIn = () => worker.evaluate(() => performance.getEntriesByName('flagline:capture:saved').length > 0);
      for (let wait = 0; wait < 40 && !(await savedIn()); wait++) await new Promise((r) => setTimeout(r, 50));
      const afterPick = await marks(worker);
      const savedMark = afterPick.find(([name]) => name === 'saved')?.[1];
      if (afterPick.some(([name]) => name === 'recorded'))
        console.log(`pick ${i + 1}: its images waited for the browser's first policy answer; left out of capture.savedMs`);
      else saved.push((savedMark ?? NaN) - (timing.pickedAt ?? NaN));
      if (debug) {
        const all = [...(await marks(page)), ...afterPick].sort((a, b) => a[1] - b[1]);
        for (const [name, at] of all) (stages[name] ??= []).push(at - (timing.pickedAt ?? NaN));
        console.log(
          `savedMs ${savedMark === undefined ? '-' : (savedMark - (timing.pickedAt ?? NaN)).toFixed(1)}: ${all.map(([name, at]) => `${name} +${(at - (timing.pickedAt ?? NaN)).toFixed(1)}`).join(', ')}`,
        );
        // The report window's own stages: its navigation, its script, its first render, ready.
        const windowStages = await report.evaluate<Array<[string, number]>>(
          `[['window:origin', performance.timeOrigin], ['window:response', performance.timeOrigin + performance.getEntriesByType('navigation')[0].responseEnd], ...performance.getEntriesByType('mark').filter((m) => m.name.startsWith('flagline:')).map((m) => [m.name.replace('flagline:', 'window:'), performance.timeOrigin + m.startTime])]`,
        );
        for (const [name, at] of windowStages) (stages[name] ??= []).push(at - (timing.pickedAt ?? NaN));
        console.log(`  window: ${windowStages.map(([name, at]) => `${name} +${(at - (timing.pickedAt ?? NaN)).toFixed(1)}`).join(', ')}`);
      }
      await report.close();
      await page.bringToFront();
      await new Promise((r) => setTimeout(r, 600)); // stay under 2 captures per second
      raw.push(
        await worker.evaluate(async () => {
          const t0 = performance.now();
          await chrome.tabs.captureVisibleTab({ format: 'png' });
          return performance.now() - t0;
        }),
      );
      await new Promise((r) => setTimeout(r, 600));
      // A string: tsx would wrap the injected function's inner arrows in its `__name` helper,
      // which does not exist in the page.
      rawAfterFrame.push(
        await worker.evaluate<number>(`(async () => {
          await chrome.scripting.executeScript({ target: { tabId: ${tabId} }, func: () => {
            const box = document.createElement('div');
            box.style.cssText = 'position:fixed;left:20px;top:20px;width:320px;height:200px;outline:2px solid #d00;background:rgba(221,0,0,.08);z-index:2147483647';
            document.documentElement.append(box);
            return new Promise((shown) => requestAnimationFrame(() => setTimeout(shown, 0))).then(() => {
              box.remove();
              return new Promise((hidden) => requestAnimationFrame(() => setTimeout(hidden, 0)));
            });
          } });
          const t0 = performance.now();
          await chrome.tabs.captureVisibleTab({ format: 'png' });
          return performance.now() - t0;
        })()`),
      );
      await new Promise((r) => setTimeout(r, 600));
      // The floor of any pick whose outline is drawn in the page: from the moment a box the page
      // showed is taken out, a frame without it, one message to the worker, and the bare capture.
      floor.push(
        await worker.evaluate<number>(`(async () => {
          const done = new Promise((resolve) => {
            const listener = (port) => {
              if (port.name !== 'bench-floor') return;
              chrome.runtime.onConnect.removeListener(listener);
              port.onMessage.addListener(async () => {
                await chrome.tabs.captureVisibleTab({ format: 'png' });
                resolve(performance.timeOrigin + performance.now());
                port.disconnect();
              });
            };
            chrome.runtime.onConnect.addListener(listener);
          });
          const [{ result: hiddenAt }] = await chrome.scripting.executeScript({ target: { tabId: ${tabId} }, func: () => {
            const box = document.createElement('div');
            box.style.cssText = 'position:fixed;left:20px;top:20px;width:320px;height:200px;outline:2px solid #d00;background:rgba(221,0,0,.08);z-index:2147483647';
            document.documentElement.append(box);
            return new Promise((shown) => requestAnimationFrame(() => setTimeout(shown, 0))).then(() => {
              const at = performance.timeOrigin + performance.now();
              box.remove();
              return new Promise((hidden) => requestAnimationFrame(() => setTimeout(hidden, 0))).then(() => {
                chrome.runtime.connect({ name: 'bench-floor' }).postMessage('capture');
                return at;
              });
            });
          } });
          return (await done) - hiddenAt;
        })()`),
      );
      await new Promise((r) => setTimeout(r, 600));
    }

    if (debug) {
      console.log('median ms after the pick:');
      for (const [name, at] of Object.entries(stages).sort((a, b) => median(a[1]) - median(b[1]))) console.log(`  ${name.padEnd(16)} ${median(at).toFixed(1)}`);
    }
    const figures: Figure[] = [
      { key: 'picker.gzBytes', unit: 'bytes', runs: [gz], target: '≤ 12288' },
      { key: 'picker.readyMs', unit: 'ms', runs: ready, target: '≤ 100' },
      { key: 'picker.moveP95Ms', unit: 'ms', runs: moves, target: '≤ 1' },
      {
        key: 'capture.savedMs',
        unit: 'ms',
        runs: saved,
        // The picker's goal against the bare capture, and issue 19's against the capture after a frame.
        target: `≤ 1.3 × raw (${(1.3 * median(raw)).toFixed(0)}), ≤ 1.2 × rawAfterFrame (${(1.2 * median(rawAfterFrame)).toFixed(0)})`,
      },
      { key: 'capture.rawCaptureMs', unit: 'ms', runs: raw },
      { key: 'capture.rawAfterFrameMs', unit: 'ms', runs: rawAfterFrame },
      { key: 'capture.floorMs', unit: 'ms', runs: floor },
      { key: 'report.formReadyMs', unit: 'ms', runs: formReady, target: '≤ 300' },
    ];
    return figures;
  } finally {
    await extension.close();
    await receiver.close();
    await site.close();
  }
}
