/**
 * Forwarding to an official channel: the Desk never submits anything. The reviewer opens the
 * channel's form, copies each field, attaches the packet's files, then records the case number.
 */
import { useState } from 'preact/hooks';
import type { Handoff } from '../../api/contract';
import type { Action } from '../controllers';
import type { HandoffOption } from '../handoff';
import { useMessages } from '../i18n';
import { ErrorText, StatusText } from './common';
import { SafeLink } from './ReportDetails';

export interface HandoffPanelProps {
  options: readonly HandoffOption[];
  handoffs: readonly Handoff[];
  /** The channel's display name, for the history (catalogue channels by id). */
  channelName: (channelId: string) => string;
  packetHref: (channelId: string) => string;
  action: Action;
  onCopy: (text: string) => Promise<void>;
  onRecord: (channelId: string, caseNumber: string, note: string) => Promise<boolean>;
}

export function HandoffPanel({ options, handoffs, channelName, packetHref, action, onCopy, onRecord }: HandoffPanelProps) {
  const { t, dateTime } = useMessages();
  const [channelId, setChannelId] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [note, setNote] = useState('');
  const [copied, setCopied] = useState<string | undefined>();
  const chosen = options.find((option) => option.id === channelId);
  const copy = (label: string, text: string) =>
    void onCopy(text).then(
      () => setCopied(label),
      () => setCopied(undefined),
    );
  return (
    <section aria-labelledby="handoff-heading">
      <h2 id="handoff-heading">{t('handoff_title')}</h2>
      {options.length === 0 ? (
        <p>{t('handoff_noChannels')}</p>
      ) : (
        <label>
          {t('forwardTo')}
          <select value={channelId} onChange={(e) => setChannelId(e.currentTarget.value)}>
            <option value="">{t('handoff_choose')}</option>
            {options.map((option) => (
              <option value={option.id}>{option.name}</option>
            ))}
          </select>
        </label>
      )}
      {chosen && (
        <div class="handoff">
          <p>{t('handoff_steps')}</p>
          <p class="hint">{chosen.audience}</p>
          {chosen.formUrl && (
            <p>
              {t('handoff_openForm')}: <SafeLink url={chosen.formUrl} />
            </p>
          )}
          {chosen.route && <p>{chosen.route}</p>}
          {chosen.links.length > 0 && (
            <ul class="links">
              {chosen.links.map((link) => (
                <li key={link.name}>
                  {link.name}
                  {link.url && (
                    <>
                      {' · '}
                      <SafeLink url={link.url} />
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {chosen.fields.length > 0 && (
            <>
              <h3>{t('handoff_fields')}</h3>
              <dl class="fields">
                {chosen.fields.map((field) => (
                  <div key={field.label}>
                    <dt>{field.label}</dt>
                    <dd>
                      <pre class="captured">{field.value}</pre>
                      <button type="button" class="secondary" onClick={() => copy(field.label, field.value)}>
                        {t('copy', field.label)}
                      </button>
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          )}
          {chosen.mailto && (
            <p>
              <a href={chosen.mailto}>{t('handoff_emailDraft')}</a>
            </p>
          )}
          {copied && <StatusText>{t('copied')}</StatusText>}
          <p>
            <a href={packetHref(chosen.id)} download>
              {t('handoff_packet')}
            </a>
          </p>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void onRecord(chosen.id, caseNumber, note).then((ok) => {
                if (ok) {
                  setCaseNumber('');
                  setNote('');
                }
              });
            }}
          >
            <label>
              {t('caseNumber')}
              <input type="text" value={caseNumber} maxLength={200} onInput={(e) => setCaseNumber(e.currentTarget.value)} />
            </label>
            <label>
              {t('handoff_note')}
              <input type="text" value={note} maxLength={2000} onInput={(e) => setNote(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={action.busy}>
              {t('handoff_record')}
            </button>
          </form>
        </div>
      )}
      <ErrorText failure={action.error} />
      {action.done && <StatusText>{t('handoff_recorded')}</StatusText>}
      <h3>{t('handoff_history')}</h3>
      {handoffs.length === 0 ? (
        <p>{t('handoff_none')}</p>
      ) : (
        <ul class="handoffs">
          {handoffs.map((handoff) => (
            <li key={handoff.id}>
              {t('handoff_entry', channelName(handoff.channelId), handoff.by.email, dateTime(handoff.at), handoff.caseNumber ?? t('none'))}
              {handoff.note && ` · ${handoff.note}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
