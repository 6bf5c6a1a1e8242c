/**
 * The interface's own addresses (served by the Desk as index.html, desk/http/static.ts) and a
 * tiny history router: links are real `<a href>`s, a plain click is handled in the page.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'queue' }
  | { name: 'report'; id: string }
  | { name: 'setup' }
  | { name: 'users' }
  | { name: 'channels' }
  | { name: 'notifications' }
  | { name: 'audit' }
  | { name: 'notFound' };

const ADMIN_ROUTES = ['users', 'channels', 'notifications', 'audit'] as const;
export const isAdminRoute = (route: Route) => (ADMIN_ROUTES as readonly string[]).includes(route.name);

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'queue' };
  if (pathname === '/setup') return { name: 'setup' };
  const report = /^\/reports\/([^/]+)$/.exec(pathname);
  if (report) {
    try {
      return { name: 'report', id: decodeURIComponent(report[1]!) };
    } catch {
      return { name: 'notFound' };
    }
  }
  const admin = /^\/admin\/([a-z]+)$/.exec(pathname)?.[1];
  if (admin && (ADMIN_ROUTES as readonly string[]).includes(admin)) return { name: admin as (typeof ADMIN_ROUTES)[number] };
  return { name: 'notFound' };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'queue':
      return '/';
    case 'report':
      return `/reports/${encodeURIComponent(route.id)}`;
    case 'setup':
      return '/setup';
    case 'notFound':
      return '/404';
    default:
      return `/admin/${route.name}`;
  }
}

export type Navigate = (href: string) => void;

export function useRoute(): { route: Route; navigate: Navigate } {
  const [pathname, setPathname] = useState(() => location.pathname);
  useEffect(() => {
    const onPop = () => setPathname(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback<Navigate>((href) => {
    const url = new URL(href, location.href);
    if (url.pathname + url.search !== location.pathname + location.search) history.pushState(null, '', url.pathname + url.search);
    setPathname(url.pathname);
  }, []);
  return { route: parseRoute(pathname), navigate };
}

/** A same-page click on an `<a href>`: handled by `navigate`, unless a modifier asks for a new tab. */
export function linkClick(navigate: Navigate) {
  return (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.currentTarget as HTMLAnchorElement;
    event.preventDefault();
    navigate(anchor.getAttribute('href') ?? '/');
  };
}
