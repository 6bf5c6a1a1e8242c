import { useT } from '@/utils/ui/i18n';

/** The page being reported, as the browser's tab record names it. Rendered as text only. */
export function PageSummary({ title, url }: { title: string; url: string }) {
  const t = useT();
  return (
    <section class="page-summary" aria-labelledby="page-heading">
      <h2 id="page-heading">{t('popup_pageHeading')}</h2>
      <p class="page-title">{title}</p>
      <p class="page-url">{url}</p>
    </section>
  );
}
