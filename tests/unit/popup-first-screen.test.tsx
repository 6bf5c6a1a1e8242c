// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PopupApp } from '@/entrypoints/popup/PopupApp';
import { createDraftStore } from '@/utils/drafts';
import type { SendRaw } from '@/utils/messaging';
import { renderPopupFirstScreen } from '@/scripts/first-screen/render';
import { rememberGoodFaith } from '@/utils/settings';
import { fillTexts, placeFirstScreen, rememberGoodFaithStanding, startFirstScreen, watchFirstScreen } from '@/utils/ui/first-screen';
import type { FlaglineDB } from '@/utils/db';
import { translatorFor } from './chrome-i18n';
import { freshDb, popupStateReply } from './helpers';

afterEach(() => {
  cleanup();
  document.body.replaceChildren();
  delete window.flaglineFirstScreen;
  performance.clearMarks();
  localStorage.clear();
});

/** popup.html as the build writes it: the first screen in `#app`, its texts not yet filled in. */
function showFirstScreen(): HTMLElement {
  const built = new DOMParser().parseFromString(`<div id="app">${renderPopupFirstScreen()}</div>`, 'text/html');
  const root = document.importNode(built.getElementById('app')!, true);
  document.body.replaceChildren(root);
  return root;
}

function fakeBackground(db: FlaglineDB, policy?: unknown) {
  const sent: Array<{ type: string; payload: unknown }> = [];
  const send: SendRaw = async (message) => {
    const { type, payload } = message as { type: string; payload: unknown };
    sent.push({ type, payload });
    if (type === 'describeTab') return { ok: true, data: { reportable: true, tabId: 7, url: 'https://forum.example/t/1', title: 'A thread' } };
    if (type === 'popupState') return popupStateReply(db, payload, async () => policy);
    if (type === 'flushOutbox') return { ok: true, data: { attempted: 0, sent: 0, failed: 0, retrying: 0 } };
    if (type === 'startPicker') return { ok: true, data: { started: true } };
    if (type === 'submitReport') return { ok: true, data: { id: '0b6f3b7e-7d2c-4d8a-9a51-5a8c8f0e2a11', status: 'waiting' } };
    return { ok: false, error: { code: 'invalid_message', detail: '' } };
  };
  return { send, sent };
}

/** The live popup, drawn off screen as start.tsx draws it, taking over `root`'s first screen. */
function startLivePopup(root: HTMLElement, send: SendRaw) {
  const firstScreen = watchFirstScreen(root);
  const live = document.createElement('div');
  return {
    firstScreen,
    live,
    start: () =>
      render(
        <PopupApp
          tabId={7}
          send={send}
          drafts={createDraftStore(fakeBrowser.storage.session)}
          openSettings={() => undefined}
          openWorkspace={() => undefined}
          pollMs={50}
          firstScreen={placeFirstScreen(firstScreen, live)}
        />,
        { container: live },
      ),
  };
}

describe("the popup's first screen (in popup.html, before any script)", () => {
  it('is the popup form, category first, and reads in the browser language once its texts are filled in', () => {
    for (const [locale, names, submit] of [
      ['en', ['Rumor', 'Cyberviolence', 'Harmful to minors'], 'Submit report'],
      ['zh_CN', ['谣言', '网络暴力', '危害未成年人'], '提交举报'],
    ] as const) {
      const root = showFirstScreen();
      // Before the texts are filled in there is nothing to read: no words are built in.
      expect(root.textContent).toBe('');
      fillTexts(root, translatorFor(locale));
      const app = within(root);
      for (const name of names) expect(app.getByRole('radio', { name })).toBeTruthy();
      expect(app.getByRole('textbox')).toBeTruthy();
      const button = app.getByRole('button', { name: submit });
      expect(app.getByRole('radio', { name: names[0] }).compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
  });

  it('is started once, by whichever of the page’s two scripts runs first, which says the form is ready', () => {
    const root = showFirstScreen();
    const first = startFirstScreen(window, translatorFor('zh_CN'));
    expect(first).toBeDefined();
    expect(startFirstScreen(window, translatorFor('en'))).toBe(first);
    expect(within(root).getByRole('button', { name: '提交举报' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(performance.getEntriesByName('flagline:ready')).toHaveLength(1);
    // A page without a first screen is left alone.
    delete window.flaglineFirstScreen;
    document.body.replaceChildren(Object.assign(document.createElement('div'), { id: 'app' }));
    expect(startFirstScreen(window, translatorFor('en'))).toBeUndefined();
  });

  it('shows the standing good-faith statement only on a device where the last popup was told it stands', () => {
    const statement = /By submitting you confirm, as you did before on this device/;
    for (const [remembered, shown] of [
      [undefined, false],
      [false, false],
      [true, true],
    ] as const) {
      localStorage.clear();
      if (remembered !== undefined) rememberGoodFaithStanding(localStorage, remembered);
      delete window.flaglineFirstScreen;
      const root = showFirstScreen();
      startFirstScreen(window, translatorFor('en'));
      expect(within(root).queryByText(statement) !== null).toBe(shown);
      // Submit report is described by the statement only while it is there.
      expect(within(root).getByRole('button', { name: 'Submit report' }).hasAttribute('aria-describedby')).toBe(shown);
    }
  });

  it('the live popup says at each answer whether the statement stands, for the next first screen', async () => {
    const db = freshDb();
    const { send } = fakeBackground(db);
    const known: boolean[] = [];
    render(
      <PopupApp
        tabId={7}
        send={send}
        drafts={createDraftStore(fakeBrowser.storage.session)}
        openSettings={() => undefined}
        pollMs={20}
        onGoodFaithKnown={(standing) => known.push(standing)}
      />,
    );
    await waitFor(() => expect(known).toEqual([false]));
    await rememberGoodFaith(db, '2026-12-01T10:00:00+08:00');
    await waitFor(() => expect(known).toEqual([false, true]));
  });

  it('keeps a category, an explanation and a press of Submit report made before the live popup came, and the live popup submits them', async () => {
    const db = freshDb();
    await rememberGoodFaith(db, '2026-12-01T10:00:00+08:00');
    const { send, sent } = fakeBackground(db);
    const root = showFirstScreen();
    fillTexts(root, translatorFor('en'));
    const popup = startLivePopup(root, send);
    const first = within(root);
    fireEvent.click(first.getByRole('radio', { name: 'Cyberviolence' }));
    fireEvent.input(first.getByRole('textbox'), { target: { value: 'names a child in the comments' } });
    const submit = first.getByRole('button', { name: 'Submit report' });
    submit.focus();
    fireEvent.click(submit);
    expect(sent.some((m) => m.type === 'submitReport')).toBe(false);

    popup.start();
    await waitFor(() => expect(sent.find((m) => m.type === 'submitReport')).toBeTruthy());
    expect(sent.find((m) => m.type === 'submitReport')!.payload).toMatchObject({
      tabId: 7,
      category: 'cyberviolence',
      explanation: 'names a child in the comments',
    });
    // The live popup is where the first screen was; the first screen is gone; the focus stayed on Submit report.
    expect(document.getElementById('app')).toBe(popup.live);
    expect(document.activeElement).toBe(within(popup.live).getByRole('button', { name: 'Submit report' }));
    expect(root.isConnected).toBe(false);
  });

  it('without the standing good-faith acceptance, an early Submit asks for the tick and keeps what was chosen and typed', async () => {
    const db = freshDb();
    const { send, sent } = fakeBackground(db);
    const root = showFirstScreen();
    fillTexts(root, translatorFor('en'));
    const popup = startLivePopup(root, send);
    fireEvent.click(within(root).getByRole('radio', { name: 'Rumor' }));
    fireEvent.input(within(root).getByRole('textbox'), { target: { value: 'fake water cut' } });
    fireEvent.click(within(root).getByRole('button', { name: 'Submit report' }));
    popup.start();

    const tick = await screen.findByRole('checkbox');
    await waitFor(() => expect(document.activeElement).toBe(tick));
    expect(screen.getByRole('radio', { name: 'Rumor' })).toHaveProperty('checked', true);
    expect(screen.getByRole('textbox', { name: 'Explanation' })).toHaveProperty('value', 'fake water cut');
    expect(sent.some((m) => m.type === 'submitReport')).toBe(false);
  });

  it('a built-in category the school does not offer, chosen on the first screen, is not submitted: the form asks for one it offers', async () => {
    const db = freshDb();
    await rememberGoodFaith(db, '2026-12-01T10:00:00+08:00');
    const { send, sent } = fakeBackground(db, { categories: { builtIn: [{ id: 'cyberviolence' }, { id: 'minors' }] } });
    const root = showFirstScreen();
    fillTexts(root, translatorFor('en'));
    const popup = startLivePopup(root, send);
    fireEvent.click(within(root).getByRole('radio', { name: 'Rumor' }));
    fireEvent.click(within(root).getByRole('button', { name: 'Submit report' }));
    popup.start();

    expect(await screen.findByText('Choose what is wrong with this content.')).toBeTruthy();
    expect(screen.queryByRole('radio', { name: 'Rumor' })).toBeNull();
    expect(screen.getByRole('radio', { name: 'Cyberviolence' })).toHaveProperty('checked', false);
    expect(sent.some((m) => m.type === 'submitReport')).toBe(false);
  });

  it('presses again on the live popup a button pressed on the first screen (Select on page), and gives the focus back', async () => {
    const db = freshDb();
    const { send, sent } = fakeBackground(db);
    const root = showFirstScreen();
    fillTexts(root, translatorFor('en'));
    const popup = startLivePopup(root, send);
    const select = within(root).getByRole('button', { name: 'Select on page' });
    select.focus();
    fireEvent.click(select);
    popup.start();

    await waitFor(() => expect(sent.find((m) => m.type === 'startPicker')).toBeTruthy());
    expect(sent.find((m) => m.type === 'startPicker')!.payload).toMatchObject({ tabId: 7 });
    expect(document.activeElement).toBe(within(popup.live).getByRole('button', { name: 'Select on page' }));
  });

  it('a first screen nobody touched leaves the saved draft as it was', async () => {
    const db = freshDb();
    const drafts = createDraftStore(fakeBrowser.storage.session);
    await drafts.save(7, { category: 'minors', explanation: 'saved before', goodFaith: false });
    const { send } = fakeBackground(db);
    const root = showFirstScreen();
    fillTexts(root, translatorFor('en'));
    startLivePopup(root, send).start();
    await waitFor(() => expect(root.isConnected).toBe(false));
    expect(screen.getByRole('radio', { name: 'Harmful to minors' })).toHaveProperty('checked', true);
    expect(screen.getByRole('textbox', { name: 'Explanation' })).toHaveProperty('value', 'saved before');
  });
});
