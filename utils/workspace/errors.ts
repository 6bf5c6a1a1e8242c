import type { MessageKey } from '../i18n';

/** A workspace action refused for a reason the user can act on; `key` is its translated message. */
export class WorkspaceError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly detail = '',
  ) {
    super(detail ? `${key}: ${detail}` : key);
    this.name = 'WorkspaceError';
  }
}
