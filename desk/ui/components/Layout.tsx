import type { ComponentChildren } from 'preact';
import type { SessionInfo } from '../../api/contract';
import { LOCALE_NAMES, LOCALES, useMessages, type Locale } from '../i18n';
import type { Route } from '../router';

export interface LayoutProps {
  user: SessionInfo['user'] | undefined;
  route: Route;
  onLocale: (locale: Locale) => void;
  onSignOut: () => void;
  onLink: (event: MouseEvent) => void;
  children: ComponentChildren;
}

const ADMIN_LINKS = [
  ['users', '/admin/users', 'nav_users'],
  ['channels', '/admin/channels', 'nav_channels'],
  ['notifications', '/admin/notifications', 'nav_notifications'],
  ['audit', '/admin/audit', 'nav_audit'],
] as const;

export function Layout({ user, route, onLocale, onSignOut, onLink, children }: LayoutProps) {
  const { t, locale } = useMessages();
  const current = (name: string) => (route.name === name ? ('page' as const) : undefined);
  return (
    <>
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header class="top">
        <span class="brand">{t('appName')}</span>
        {user && (
          <nav aria-label={t('nav_label')}>
            <a href="/" onClick={onLink} aria-current={current('queue')}>
              {t('nav_queue')}
            </a>
            {user.role === 'admin' &&
              ADMIN_LINKS.map(([name, href, label]) => (
                <a href={href} onClick={onLink} aria-current={current(name)}>
                  {t(label)}
                </a>
              ))}
          </nav>
        )}
        <div class="tools">
          <label>
            {t('language')}
            <select value={locale} onChange={(e) => onLocale(e.currentTarget.value as Locale)}>
              {LOCALES.map((value) => (
                <option value={value} lang={value}>
                  {LOCALE_NAMES[value]}
                </option>
              ))}
            </select>
          </label>
          {user && (
            <>
              <span class="who">{t('signedInAs', user.email, t(`role_${user.role}`))}</span>
              <button type="button" class="secondary" onClick={onSignOut}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      {children}
    </>
  );
}
