/**
 * Addresses of the extension's own pages. Kept apart from the modules that decide when to open
 * them (utils/destination.ts holds schemas), so a page's first screen can link to one without
 * loading the schema library.
 */

/** The first-run page's address. */
export const FIRST_RUN_PATH = '/welcome.html';
