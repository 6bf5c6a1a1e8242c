import type { MessageKey } from './i18n';

/**
 * The typed error taxonomy shared by every context. A code travels across messaging as plain
 * data and is turned into a translated sentence only where it is shown (`error_<code>`).
 */
export const ERROR_CODES = [
  'invalid_message',
  'forbidden_sender',
  'tab_not_reportable',
  'no_connection',
  'picker_unavailable',
  'capture_missing',
  'unexpected',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class FlaglineError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail = '',
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'FlaglineError';
  }
}

export const errorMessageKey = (code: ErrorCode): MessageKey => `error_${code}`;

export function toFlaglineError(error: unknown): FlaglineError {
  if (error instanceof FlaglineError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  // Chromium's wording when no listener answered (worker stopped between send and reply).
  if (/Receiving end does not exist|message port closed/i.test(detail)) return new FlaglineError('no_connection', detail);
  return new FlaglineError('unexpected', detail);
}
