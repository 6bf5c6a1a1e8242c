/**
 * Every zod check the popup makes, in one module it imports dynamically (utils/lazy-checks.ts):
 * its first screen is drawn from the background's answers by their types while this loads, and
 * everything that acts (submit, retry, the picker, delivery) goes through these checks.
 */
export { checkReply, sendMessage } from './messaging';
export { parseDraft, validateDraft } from './report-form';
