import type { z } from 'zod';
import type { AuditEntry } from '../../api/contract';
import { useMessages } from '../i18n';
import { ScreenHeading } from './common';

export interface AuditProps {
  entries: ReadonlyArray<z.infer<typeof AuditEntry>>;
  hasPrevious: boolean;
  hasNext: boolean;
  onNext: () => void;
  onPrevious: () => void;
}

export function Audit({ entries, hasPrevious, hasNext, onNext, onPrevious }: AuditProps) {
  const { t, dateTime } = useMessages();
  return (
    <main id="main">
      <ScreenHeading title={t('audit_title')}>{t('audit_title')}</ScreenHeading>
      {entries.length === 0 ? (
        <p>{t('audit_empty')}</p>
      ) : (
        <table>
          <caption>{t('audit_title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit_at')}</th>
              <th scope="col">{t('audit_actor')}</th>
              <th scope="col">{t('audit_action')}</th>
              <th scope="col">{t('audit_subject')}</th>
              <th scope="col">{t('audit_detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.at}>{dateTime(entry.at)}</time>
                </td>
                <td>{entry.actor?.email ?? t('audit_system')}</td>
                <td>{t(`audit_${entry.action}`)}</td>
                <td>
                  <code>{entry.subject ?? t('none')}</code>
                </td>
                <td>
                  <code>{Object.keys(entry.detail).length > 0 ? JSON.stringify(entry.detail) : t('none')}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label={t('page_label')}>
        <button type="button" disabled={!hasPrevious} onClick={onPrevious}>
          {t('page_previous')}
        </button>
        <button type="button" disabled={!hasNext} onClick={onNext}>
          {t('page_next')}
        </button>
      </nav>
    </main>
  );
}
