import { describe, expect, it } from 'vitest';
import { sendMessage, type SendRaw } from '@/utils/messaging';
import { prefetchingSend } from '@/utils/popup-prefetch';

describe('prefetchingSend: the popup asks its first questions before its code has loaded', () => {
  it('asks at once; the first later send of the same message gets that answer, validated like any other; later sends ask again', async () => {
    const sent: unknown[] = [];
    const send: SendRaw = async (message) => {
      sent.push(message);
      return { ok: true, data: { reportable: true, tabId: 7, url: 'https://a.example/', title: `answer ${sent.length}` } };
    };
    const prefetching = prefetchingSend(send, [{ type: 'describeTab', payload: { tabId: 7 } }]);
    expect(sent).toEqual([{ type: 'describeTab', payload: { tabId: 7 } }]);
    expect(await sendMessage(prefetching, 'describeTab', { tabId: 7 })).toMatchObject({ title: 'answer 1' });
    expect(sent).toHaveLength(1);
    expect(await sendMessage(prefetching, 'describeTab', { tabId: 7 })).toMatchObject({ title: 'answer 2' });
    // Another tab is another question.
    expect(await sendMessage(prefetching, 'describeTab', { tabId: 8 })).toMatchObject({ title: 'answer 3' });
  });

  it('hands a failed early answer to whoever asks, and an invalid one fails validation there', async () => {
    const prefetching = prefetchingSend(
      async (message) => {
        if ((message as { type: string }).type === 'describeTab') throw new Error('Could not establish connection');
        return { ok: true, data: { nonsense: true } };
      },
      [
        { type: 'describeTab', payload: { tabId: 7 } },
        { type: 'popupState', payload: {} },
      ],
    );
    await expect(sendMessage(prefetching, 'describeTab', { tabId: 7 })).rejects.toThrow('Could not establish connection');
    await expect(sendMessage(prefetching, 'popupState', {})).rejects.toThrow();
  });
});
