import { renderToString } from 'preact-render-to-string';
import { PopupView } from '@/components/PopupView';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { EMPTY_DRAFT } from '@/utils/draft-defaults';
import type { Translate } from '@/utils/i18n';
import { I18nContext } from '@/utils/ui/i18n';

/** Marks a translated text in the rendered markup until it becomes a `data-i18n` element. */
// Private-use characters: no text of the view contains them.
const OPEN = '\uE000';
const SPLIT = '\uE001';
const CLOSE = '\uE002';
const TOKEN = new RegExp(`${OPEN}(\\w+)${SPLIT}([^${CLOSE}]*)${CLOSE}`, 'g');

const placeholder: Translate = (key, substitutions) =>
  `${OPEN}${key}${SPLIT}${substitutions === undefined ? '' : JSON.stringify([substitutions].flat().map(String))}${CLOSE}`;

/**
 * The popup's first screen as HTML, for the build to put into popup.html (scripts/first-screen/vite-plugin.ts): the
 * popup's own view (PopupView) with the built-in categories, an empty draft and a page not yet
 * known, so the form is on screen and usable (native radios, text area and checkbox) before any
 * script has loaded. The language is the browser's, known only when the popup opens: each
 * translated text is an empty `<span data-i18n="key">` (with `data-i18n-subs`, a JSON array of
 * substitutions) that the popup's first script fills in (utils/ui/first-screen.ts `fillTexts`). The good-faith statement
 * is shown as accepted, as it is on every report after a device's first; the live popup, a moment
 * later, shows the tick instead when it is not.
 */
export function renderPopupFirstScreen(): string {
  const noop = () => undefined;
  const html = renderToString(
    <I18nContext.Provider value={placeholder}>
      <PopupView
        tab={{ reportable: true, tabId: 0, url: '', title: '' }}
        context={{ categories: [...BUILT_IN_CATEGORIES], requireReporterIdentity: false, goodFaithAccepted: true }}
        draft={EMPTY_DRAFT}
        errors={{}}
        busy={false}
        onDraftChange={noop}
        onSubmit={noop}
        onStartPicker={noop}
        onReportAnother={noop}
        onRetryOutbox={noop}
        onRetryReport={noop}
        openSettings={noop}
        openWorkspace={noop}
        openFirstRun={noop}
      />
    </I18nContext.Provider>,
  );
  // A translation inside an attribute cannot become an element: the view must not use one there.
  // The substitutions' JSON is escaped already, as all text is.
  if (new RegExp(`<[^>]*${OPEN}`).test(html)) throw new Error('popup first screen: a translated text inside an attribute');
  return html.replace(TOKEN, (_, key: string, subs: string) => `<span data-i18n="${key}"${subs ? ` data-i18n-subs="${subs}"` : ''}></span>`);
}
