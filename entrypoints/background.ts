import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '@/utils/background/start';
import type { OutboxLimits } from '@/utils/outbox';
import { openTestEntryWhenInstalled } from '@/utils/test-entry';

/**
 * E2E-ONLY KNOB: the e2e build (`npm run build:e2e`) retries after fractions of a second instead
 * of tens of seconds, so fault-mode tests finish quickly, and a page asks for status news again
 * after a second instead of a minute. Same code path, smaller numbers.
 */
const E2E_LIMITS: Partial<OutboxLimits> | undefined =
  import.meta.env.MODE === 'e2e' || import.meta.env.MODE === 'e2e-capture'
    ? { backoffBaseMs: 300, backoffCapMs: 2000, backoffFloorMs: 100, offlinePollMs: 1000 }
    : undefined;

/** Wiring only: the worker's globals into the composition root (utils/background/start.ts). */
export default defineBackground(() => {
  startBackground(
    browser,
    {
      fetch: (input, init) => fetch(input, init),
      locks: navigator.locks,
      isOnline: () => navigator.onLine,
      onOnline: (listener) => self.addEventListener('online', listener),
      newId: () => crypto.randomUUID(),
      now: () => performance.now(),
      sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      setTimer: (callback, ms) => void setTimeout(callback, ms),
    },
    E2E_LIMITS ? { limits: E2E_LIMITS, statusRefreshMinMs: 1000 } : {},
  );
  // E2E-ONLY (Firefox e2e builds): the harness's way into the extension's pages (utils/test-entry.ts).
  if (import.meta.env.FIREFOX && (import.meta.env.MODE === 'e2e' || import.meta.env.MODE === 'e2e-capture')) {
    openTestEntryWhenInstalled({ onInstalled: browser.runtime.onInstalled, createTab: (url) => browser.tabs.create({ url }) });
  }
});
