// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { startPicker } from '@/utils/picker/overlay';

/** A key press as the browser delivers it (the picker ignores untrusted, page-made events). */
function press(key: string) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  window.dispatchEvent(event);
}

describe('the picker overlay after a pick', () => {
  it('stays in the page, invisible, until the background has answered, then leaves', async () => {
    document.body.innerHTML = '<article><p>Post</p></article>';
    const sent: unknown[] = [];
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    startPicker({
      token: '00000000-0000-4000-8000-000000000001',
      send: async (message) => {
        sent.push(message);
        await answered;
        return {};
      },
      alive: () => true,
      t: (key) => key,
    });
    const host = () => document.querySelector<HTMLElement>('flagline-picker');
    expect(host()).not.toBeNull();

    press('ArrowDown'); // the first element
    press('Enter');
    // The pick hides the overlay and is sent once a frame without it has been rendered.
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toMatchObject({ type: 'pickerCapture', payload: { kind: 'element' } });
    // While the background takes the screenshot, the page renders no further frame for us: the
    // host is still there, painting nothing.
    expect(host()?.style.getPropertyValue('opacity')).toBe('0');
    // The picker no longer listens: another Enter picks nothing.
    press('Enter');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toHaveLength(1);

    answer();
    await expect.poll(() => host()).toBeNull();
  });

  it('leaves at once on Esc', () => {
    document.body.innerHTML = '<p>Page</p>';
    startPicker({ token: '00000000-0000-4000-8000-000000000002', send: async () => ({}), alive: () => true, t: (key) => key });
    expect(document.querySelector('flagline-picker')).not.toBeNull();
    press('Escape');
    expect(document.querySelector('flagline-picker')).toBeNull();
  });
});

describe('a pick the background refuses (issue 20, finding 3)', () => {
  it('is said in the page, as an alert, instead of the overlay just vanishing', async () => {
    document.body.innerHTML = '<article><p>Post</p></article>';
    // The overlay's shadow root is closed; open it for the test to read what the user sees.
    const attach = Element.prototype.attachShadow;
    let shadow: ShadowRoot | undefined;
    Element.prototype.attachShadow = function (init: ShadowRootInit) {
      shadow = attach.call(this, { ...init, mode: 'open' });
      return shadow;
    };
    try {
      startPicker({
        token: '00000000-0000-4000-8000-000000000003',
        send: async () => ({ ok: false, error: { code: 'invalid_message', detail: 'pickerCapture: selectors.0.value' } }),
        alive: () => true,
        t: (key) => `[${key}]`,
      });
    } finally {
      Element.prototype.attachShadow = attach;
    }
    press('ArrowDown');
    press('Enter');
    await expect.poll(() => shadow?.querySelector('[role="alert"]')?.textContent).toBe('[picker_refused]');
    const host = document.querySelector<HTMLElement>('flagline-picker');
    expect(host?.style.getPropertyValue('opacity')).toBe('');
    press('Escape');
    expect(document.querySelector('flagline-picker')).toBeNull();
  });
});

describe('a selection the page holds when the picker starts (issue 20, finding 7)', () => {
  it('is never the pick by itself: nothing is sent until the user picks', async () => {
    document.body.innerHTML = '<article><p>Selected by the page itself</p></article>';
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('p')!);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    const sent: unknown[] = [];
    startPicker({
      token: '00000000-0000-4000-8000-000000000004',
      send: async (message) => {
        sent.push(message);
        return {};
      },
      alive: () => true,
      t: (key) => key,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toEqual([]);
    expect(document.querySelector('flagline-picker')).not.toBeNull();
    press('Escape');
  });
});
