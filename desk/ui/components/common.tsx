/** Small pieces every screen uses: the screen heading that takes focus, error and status lines. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useMessages, type Messages } from '../i18n';

export function failureText({ t }: Messages, failure: ApiFailure): string {
  switch (failure.code) {
    case 'rate_limited':
      return t('error_rate_limited', failure.retryAfter ?? 60);
    case 'bad_request':
    case 'conflict':
      return t(`error_${failure.code}`, failure.message);
    case 'unexpected':
      return t('error_unexpected', failure.status || failure.message);
    default:
      return t(`error_${failure.code}`);
  }
}

export function ErrorText({ failure, text }: { failure?: ApiFailure | undefined; text?: string }) {
  const messages = useMessages();
  if (!failure && !text) return null;
  return (
    <p class="error" role="alert">
      {text ?? failureText(messages, failure!)}
    </p>
  );
}

export function StatusText({ children }: { children: ComponentChildren }) {
  return (
    <p class="status" role="status">
      {children}
    </p>
  );
}

/**
 * The screen's `<h1>`: focused when the screen appears, so a keyboard or screen-reader user
 * lands on the new page after a route change instead of on a link that no longer exists.
 */
export function ScreenHeading({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useMessages();
  useEffect(() => {
    document.title = `${title} · ${t('appName')}`;
    ref.current?.focus();
  }, [title, t]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Loading() {
  const { t } = useMessages();
  return <p aria-live="polite">{t('loading')}</p>;
}
