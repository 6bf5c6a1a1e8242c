import { test as base } from '@playwright/test';
import { resolve } from 'node:path';
import { startReceiver, type Receiver } from '../../support/receiver';
import { ExtensionHarness } from './extension';
import { startStaticServer, type StaticServer } from './static-server';

export interface Fixtures {
  /** The reference receiver on 127.0.0.1, fresh for each test. */
  receiver: Receiver;
  /** tests/fixtures served on 127.0.0.1. */
  site: StaticServer;
  /** Chromium with the e2e build loaded, pointed at `receiver`. */
  extension: ExtensionHarness;
  /** Browser UI language for `extension`, e.g. `zh-CN`. */
  browserLocale: string;
}

export const test = base.extend<Fixtures>({
  browserLocale: ['en-US', { option: true }],
  receiver: async ({}, use) => {
    const receiver = await startReceiver();
    await use(receiver);
    await receiver.close();
  },
  site: async ({}, use) => {
    const site = await startStaticServer(resolve('tests/fixtures'));
    await use(site);
    await site.close();
  },
  extension: async ({ receiver, browserLocale }, use) => {
    const extension = await ExtensionHarness.launch({ locale: browserLocale });
    // The settings page's English labels find the fields; other locales set their endpoint themselves.
    if (browserLocale.startsWith('en')) await extension.setEndpoint(receiver.endpoint);
    await use(extension);
    await extension.close();
  },
});

export { expect } from '@playwright/test';
