import { resolve } from 'node:path';
import { after, before } from 'node:test';
import { startReceiver, type Receiver, type ReceiverOptions } from '../../support/receiver';
import { startStaticServer, type StaticServer } from '../../e2e/support/static-server';
import { FirefoxHarness, type FirefoxLaunchOptions } from './firefox';

/** What a Firefox test file works with: the receiver and fixture pages on loopback, and Firefox. */
export interface FirefoxSuite {
  receiver: Receiver;
  /** tests/fixtures served on 127.0.0.1. */
  site: StaticServer;
  firefox: FirefoxHarness;
}

/**
 * Starts the reference receiver, the fixture site and Firefox with the extension before the
 * enclosing `describe`'s tests (pointed at the receiver through the settings page unless
 * `setEndpoint` is false), and stops them after. The fields are filled in by `before`.
 */
export function useFirefox(options: FirefoxLaunchOptions & { receiver?: ReceiverOptions; setEndpoint?: boolean } = {}): FirefoxSuite {
  const suite = {} as FirefoxSuite;
  before(async () => {
    suite.receiver = await startReceiver(options.receiver);
    suite.site = await startStaticServer(resolve('tests/fixtures'));
    suite.firefox = await FirefoxHarness.launch(options);
    if (options.setEndpoint !== false) await suite.firefox.setEndpoint(suite.receiver.endpoint);
  });
  after(async () => {
    await suite.firefox?.close();
    await suite.site?.close();
    await suite.receiver?.close();
  });
  return suite;
}
