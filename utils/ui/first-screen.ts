import type { MessageKey, Translate } from '../translator';
import type { ReportDraft } from '../report-form';

/**
 * The popup's first screen (scripts/first-screen/render.tsx renders it into popup.html at build
 * time) and its hand-over to the live popup. The first screen is usable at once: its radios, text
 * area and checkbox are the browser's own, and `watchFirstScreen` keeps what the user does there
 * until the live popup, drawn from the background's answers, takes over; nothing done on the
 * first screen is lost.
 */

/** Fills in each `data-i18n` text of the first screen, in the browser's language. */
export function fillTexts(root: ParentNode, t: Translate): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const subs = element.dataset.i18nSubs;
    element.textContent = t(element.dataset.i18n as MessageKey, subs ? (JSON.parse(subs) as string[]) : undefined);
  }
}

/** What the user did on the first screen before the live popup took over. */
export interface EarlyInput {
  /** The draft's fields the user changed there. */
  changes: Partial<Pick<ReportDraft, 'category' | 'subReason' | 'explanation' | 'goodFaith'>>;
  /** Submit report was pressed (or Enter in the form). */
  submit: boolean;
  /** The id of another button pressed (Select on page, Settings, …): pressed again on the live popup. */
  clicked?: string;
  /** The id of the element that had the focus. */
  focused?: string;
}

export interface FirstScreen {
  /** Stops watching and says what the user did. */
  take(): EarlyInput;
  /**
   * Puts the live popup (`live`, rendered off screen, showing `early.changes` already) where the
   * first screen was, gives the focus back to the same control, and presses again what was pressed.
   */
  handOver(live: HTMLElement, early: EarlyInput): void;
}

/** A first screen as the live popup sees it: to be handed over to the element the popup is drawn in. */
export interface PlacedFirstScreen {
  take(): EarlyInput;
  handOver(early: EarlyInput): void;
}

/** `screen`, handed over to `live` (where the live popup is drawn, off screen until then). */
export const placeFirstScreen = (screen: FirstScreen, live: HTMLElement): PlacedFirstScreen => ({
  take: () => screen.take(),
  handOver: (early) => screen.handOver(live, early),
});

const FIELDS: Record<string, keyof EarlyInput['changes']> = {
  category: 'category',
  'sub-reason': 'subReason',
  explanation: 'explanation',
  'good-faith': 'goodFaith',
};

/** Watches the first screen in `root` (popup.html's `#app`) from now until `take`. */
export function watchFirstScreen(root: HTMLElement): FirstScreen {
  const touched = new Set<keyof EarlyInput['changes']>();
  let submit = false;
  let clicked: string | undefined;
  const onChange = (event: Event) => {
    const field = event.target instanceof HTMLElement ? (FIELDS[event.target.getAttribute('name') ?? ''] ?? FIELDS[event.target.id]) : undefined;
    if (field) touched.add(field);
  };
  const onSubmit = (event: Event) => {
    // The live popup submits: the browser's own submit would reload the page.
    event.preventDefault();
    submit = true;
  };
  const onClick = (event: Event) => {
    const button = event.target instanceof Element ? event.target.closest('button[type="button"][id]') : null;
    if (button) clicked = button.id;
  };
  root.addEventListener('input', onChange);
  root.addEventListener('change', onChange);
  root.addEventListener('submit', onSubmit);
  root.addEventListener('click', onClick);

  const value = (field: keyof EarlyInput['changes']): string | boolean | undefined => {
    if (field === 'category' || field === 'subReason') {
      const name = field === 'category' ? 'category' : 'sub-reason';
      return root.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value || undefined;
    }
    if (field === 'explanation') return root.querySelector<HTMLTextAreaElement>('#explanation')?.value ?? '';
    return root.querySelector<HTMLInputElement>('#good-faith')?.checked ?? false;
  };

  return {
    take() {
      root.removeEventListener('input', onChange);
      root.removeEventListener('change', onChange);
      root.removeEventListener('submit', onSubmit);
      root.removeEventListener('click', onClick);
      const changes: EarlyInput['changes'] = {};
      for (const field of touched) Object.assign(changes, { [field]: value(field) });
      const focused = root.contains(document.activeElement) && document.activeElement?.id ? document.activeElement.id : undefined;
      return { changes, submit, ...(clicked ? { clicked } : {}), ...(focused ? { focused } : {}) };
    },
    handOver(live, early) {
      live.id = root.id;
      root.replaceWith(live);
      if (early.focused) live.querySelector<HTMLElement>(`#${CSS.escape(early.focused)}`)?.focus();
      if (early.submit) live.querySelector<HTMLFormElement>('form')?.requestSubmit();
      else if (early.clicked) live.querySelector<HTMLElement>(`#${CSS.escape(early.clicked)}`)?.click();
      performance.mark('flagline:live');
    },
  };
}

declare global {
  interface Window {
    /** The first screen's watcher, from popup.html's first script to the popup's module (main.tsx). */
    flaglineFirstScreen?: FirstScreen;
  }
}

/** Where the popup remembers, for its next first screen, whether the good-faith statement stands on this device. */
const STANDING_KEY = 'flagline.goodFaithStanding';

/**
 * Remembers whether the good-faith statement stands on this device (docs/good-faith.md), as the
 * background last said: the next first screen shows the standing statement only then. A hint
 * for the first screen, never a record of acceptance: the settings row is that, and the live
 * popup asks the background.
 */
export function rememberGoodFaithStanding(storage: Pick<Storage, 'setItem'>, standing: boolean): void {
  storage.setItem(STANDING_KEY, standing ? '1' : '0');
}

const goodFaithStanding = (storage: Pick<Storage, 'getItem'>): boolean => storage.getItem(STANDING_KEY) === '1';

/**
 * The first screen is built with the standing statement beside Submit ("as you did before on this
 * device"): on a device where it does not stand (or not known to), it is taken out, so the first
 * screen never says so wrongly. The live popup then shows the tick.
 */
function withoutStandingStatement(root: HTMLElement): void {
  root.querySelector('#good-faith-statement')?.remove();
  root.querySelector('[aria-describedby="good-faith-statement"]')?.removeAttribute('aria-describedby');
}

/**
 * Makes the first screen readable and usable, once, from whichever of popup.html's scripts runs
 * first — its first-screen script (entrypoints/first-screen.ts, async, so the order is not fixed)
 * or the popup's module (main.tsx): fills in the texts in the browser's language, starts watching
 * and leaves the watcher on the window for the other. Marks `flagline:ready` (the bench's
 * `popup.readyMs`): the form is on screen and takes input. Undefined when the page has no first
 * screen (a build without it).
 */
export function startFirstScreen(win: Window, t: Translate): FirstScreen | undefined {
  if (win.flaglineFirstScreen) return win.flaglineFirstScreen;
  const doc = win.document;
  const root = doc.getElementById('app');
  if (!root?.querySelector('form')) return undefined;
  doc.documentElement.lang = t('localeTag');
  doc.title = t('popup_title');
  fillTexts(root, t);
  if (!goodFaithStanding(win.localStorage)) withoutStandingStatement(root);
  win.flaglineFirstScreen = watchFirstScreen(root);
  performance.mark('flagline:ready');
  return win.flaglineFirstScreen;
}
