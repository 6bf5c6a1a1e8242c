/** The `chrome` namespace as seen by code that runs inside extension pages and the worker. */
declare const chrome: typeof import('wxt/browser').browser;
