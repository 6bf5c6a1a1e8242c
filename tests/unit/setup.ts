import 'fake-indexeddb/auto';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CATALOGS, createGetMessage } from './chrome-i18n';

beforeEach(() => {
  fakeBrowser.reset();
  // reset() rebuilds the fake, so the English catalogue is installed again for every test.
  fakeBrowser.i18n.getMessage = createGetMessage(CATALOGS.en);
});
