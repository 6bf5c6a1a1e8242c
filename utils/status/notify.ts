import type { Translate } from '../i18n';
import type { ReportRecord } from '../schema/record';
import { notePreview, reviewStatusText } from './words';

/** The browser APIs a closed-report notification needs (both optional: asked for in settings). */
export interface NotificationApis {
  permissions: { contains(permissions: { permissions: Array<'notifications'> }): Promise<boolean> };
  notifications: {
    create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string; contextMessage?: string }): Promise<string>;
  };
}

/**
 * One notification per report that became closed — only when the user turned them on in settings
 * and the browser still grants the permission (it can be withdrawn there at any time).
 */
export async function notifyClosed(apis: NotificationApis, t: Translate, iconUrl: string, records: readonly ReportRecord[]): Promise<void> {
  if (!(await apis.permissions.contains({ permissions: ['notifications'] }))) return;
  for (const record of records) {
    if (!record.review) continue;
    const note = record.review.publicNote ? notePreview(record.review.publicNote, 200) : '';
    await apis.notifications.create(`flagline-closed-${record.id}`, {
      type: 'basic',
      iconUrl,
      title: t('status_notification_title', reviewStatusText(t, record.review)),
      message: note || record.report.target.title || record.report.target.url,
      ...(record.receipt ? { contextMessage: record.receipt } : {}),
    });
  }
}
