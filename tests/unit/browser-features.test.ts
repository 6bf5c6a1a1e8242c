import { describe, expect, it } from 'vitest';
import { fileSchemeAccess, hasFileAccessSwitch } from '@/utils/browser-features';

describe('hasFileAccessSwitch', () => {
  it('is true where the runtime has no getBrowserInfo (Chromium), false in Firefox', () => {
    expect(hasFileAccessSwitch({ id: 'x' })).toBe(true);
    expect(hasFileAccessSwitch({ id: 'x', getBrowserInfo: async () => ({ name: 'Firefox' }) })).toBe(false);
  });
});

describe('fileSchemeAccess', () => {
  it('asks the browser where a switch exists, and answers never where none does', async () => {
    expect(await fileSchemeAccess({}, async () => true)()).toBe(true);
    expect(await fileSchemeAccess({}, async () => false)()).toBe(false);
    expect(await fileSchemeAccess({ getBrowserInfo: () => undefined }, async () => true)()).toBe('never');
  });
});
