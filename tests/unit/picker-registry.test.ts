import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createInjectionRegistry, type Injection } from '@/utils/picker/registry';
import { testClock } from './helpers';

const injection = (token: string): Injection => ({ token, tabId: 5, frameId: 0, documentId: 'DOC-1', startedAt: testClock()(), metadataOnly: false });
const sender = { id: 'ext', tab: { id: 5 }, frameId: 0, documentId: 'DOC-1' };
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('picker injections across a worker restart', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a pick after the worker restarted is checked against storage, and accepted once', async () => {
    const clock = testClock();
    await createInjectionRegistry(fakeBrowser.storage.session, clock).put(injection(A));
    const restarted = createInjectionRegistry(fakeBrowser.storage.session, clock);
    await expect(restarted.claim(sender, A, true)).resolves.toMatchObject({ token: A });
    await expect(restarted.claim(sender, A, true)).rejects.toMatchObject({ code: 'forbidden_sender' });
  });

  it('a claimed injection is gone from storage too: a restarted worker refuses it', async () => {
    const clock = testClock();
    const registry = createInjectionRegistry(fakeBrowser.storage.session, clock);
    await registry.put(injection(A));
    await registry.claim(sender, A, true);
    await expect(createInjectionRegistry(fakeBrowser.storage.session, clock).claim(sender, A, true)).rejects.toMatchObject({ code: 'forbidden_sender' });
  });

  it('a new injection in the tab replaces the old one, in memory and in storage', async () => {
    const clock = testClock();
    const registry = createInjectionRegistry(fakeBrowser.storage.session, clock);
    await registry.put(injection(A));
    await registry.put(injection(B));
    await expect(registry.claim(sender, A, false)).rejects.toMatchObject({ code: 'forbidden_sender' });
    await expect(createInjectionRegistry(fakeBrowser.storage.session, clock).claim(sender, B, false)).resolves.toMatchObject({ token: B });
  });
});
