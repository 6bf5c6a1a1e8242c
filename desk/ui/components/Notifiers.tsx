import { useState } from 'preact/hooks';
import type { z } from 'zod';
import { NotifierKind, type Notifier, type NotifierTestResult } from '../../api/contract';
import type { Action } from '../controllers';
import { useMessages } from '../i18n';
import { ErrorText, ScreenHeading, StatusText } from './common';

type Kind = z.infer<typeof NotifierKind>;
export type NotifierDraft = { kind: Kind; name: string; webhookUrl: string; secret?: string };

export interface NotifiersProps {
  notifiers: ReadonlyArray<z.infer<typeof Notifier>>;
  action: Action;
  /** The answer to the last test, while no other action has run since. */
  tested: NotifierTestResult | undefined;
  onCreate: (draft: NotifierDraft) => Promise<boolean>;
  onDelete: (id: string) => void;
  onTest: (id: string) => void;
}

export function Notifiers({ notifiers, action, tested, onCreate, onDelete, onTest }: NotifiersProps) {
  const { t, dateTime } = useMessages();
  const [kind, setKind] = useState<Kind>('dingtalk');
  const [name, setName] = useState('');
  const [webhookUrl, setWebhookUrl] = useState('');
  const [secret, setSecret] = useState('');
  return (
    <main id="main">
      <ScreenHeading title={t('notifiers_title')}>{t('notifiers_title')}</ScreenHeading>
      <p>{t('notifiers_intro')}</p>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void onCreate({ kind, name, webhookUrl, ...(secret.trim() ? { secret } : {}) }).then((ok) => {
            if (ok) {
              setName('');
              setWebhookUrl('');
              setSecret('');
            }
          });
        }}
      >
        <h2>{t('notifier_create')}</h2>
        <label>
          {t('notifier_kind')}
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            {NotifierKind.options.map((value) => (
              <option value={value}>{t(`notifier_${value}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('notifier_name')}
          <input type="text" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('notifier_url')}
          <input type="url" required value={webhookUrl} onInput={(e) => setWebhookUrl(e.currentTarget.value)} />
        </label>
        <label>
          {t('notifier_secret')}
          <input type="password" autoComplete="off" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          {t('notifier_create')}
        </button>
      </form>
      <ErrorText failure={action.error} />
      {tested?.sent && <StatusText>{t('notifier_tested', tested.notifier.name)}</StatusText>}
      {tested && !tested.sent && (
        <ErrorText
          text={tested.rateLimited ? t('notifier_testHeld', tested.notifier.name) : t('notifier_testFailed', tested.notifier.name, tested.error ?? '')}
        />
      )}
      {notifiers.length === 0 ? (
        <p>{t('notifiers_empty')}</p>
      ) : (
        <table>
          <caption>{t('notifiers_title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notifier_name')}</th>
              <th scope="col">{t('notifier_kind')}</th>
              <th scope="col">{t('notifier_url')}</th>
              <th scope="col">{t('notifier_lastSent')}</th>
              <th scope="col">{t('notifier_lastError')}</th>
            </tr>
          </thead>
          <tbody>
            {notifiers.map((notifier) => (
              <tr key={notifier.id}>
                <th scope="row">
                  {notifier.name}{' '}
                  <button type="button" class="secondary" disabled={action.busy} onClick={() => onTest(notifier.id)}>
                    {t('notifier_test', notifier.name)}
                  </button>{' '}
                  <button type="button" class="danger" disabled={action.busy} onClick={() => onDelete(notifier.id)}>
                    {t('notifier_delete', notifier.name)}
                  </button>
                </th>
                <td>{t(`notifier_${notifier.kind}`)}</td>
                <td>
                  <code>{notifier.webhookUrl}</code>
                </td>
                <td>{notifier.lastSentAt ? dateTime(notifier.lastSentAt) : t('never')}</td>
                <td>{notifier.lastError ?? t('none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
