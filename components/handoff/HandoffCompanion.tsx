import { useEffect, useMemo } from 'preact/hooks';
import type { Channel } from '@/utils/schema/channel-catalogue';
import { useT } from '@/utils/ui/i18n';
import type { HandoffState } from '@/utils/ui/handoff';

interface Props {
  handoff: HandoffState;
  /** The UI language's key in the catalogue's bilingual texts. */
  language: 'zh_CN' | 'en';
}

/** Child sexual exploitation: the guidance comes before any channel (DESIGN.md "Categories"). */
const isChildExploitation = (subReason?: string) => subReason === 'child_exploitation';

/**
 * The hand-off companion beside an official channel's form (issue 16): the channels that fit,
 * then the chosen channel's fields with `Copy` each, the screenshots to download or drag, an email
 * draft for email channels, and `Mark as submitted` + `Case number` + `Save`. It never touches the
 * form: the user copies, submits, and records.
 */
export function HandoffCompanion({ handoff, language }: Props) {
  const t = useT();
  const name = (channel: Channel) => channel.name[language];
  if (handoff.loading) return <p class="hint">{t('handoff_loading')}</p>;
  const { record, channel, position } = handoff;
  if (!record) return <p role="alert">{t('handoff_missing')}</p>;
  const report = record.report;
  return (
    <>
      <p class="hint">{t('handoff_intro')}</p>
      {position.total > 1 && <p class="handoff-progress">{t('handoff_progress', [position.index + 1, position.total])}</p>}
      <p class="handoff-report">
        <span class="handoff-report-title">{report.target.title || report.target.url}</span>
        <br />
        <span class="hint">{report.target.url}</span>
      </p>
      {isChildExploitation(report.subReason) && (
        <p class="handoff-guidance" role="note">
          {t('handoff_childGuidance')}
        </p>
      )}
      {handoff.history.length > 0 && <HandoffHistory lines={handoff.history} channels={handoff.channels} language={language} />}
      {channel ? (
        <ChannelFields handoff={handoff} channel={channel} name={name(channel)} language={language} />
      ) : (
        <ChannelChooser handoff={handoff} name={name} language={language} />
      )}
    </>
  );
}

function ChannelChooser({ handoff, name, language }: { handoff: HandoffState; name: (c: Channel) => string; language: 'zh_CN' | 'en' }) {
  const t = useT();
  return (
    <section aria-labelledby="handoff-choose">
      <h2 id="handoff-choose">{t('handoff_chooseHeading')}</h2>
      {handoff.fitting.length === 0 && <p>{t('handoff_noChannels')}</p>}
      <ol class="handoff-channels">
        {handoff.fitting.map((channel) => (
          <li key={channel.id}>
            <button type="button" class="primary" onClick={() => void handoff.choose(channel)}>
              {t('handoff_use', name(channel))}
            </button>
            <p class="hint">{channel.audience[language]}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ChannelFields({ handoff, channel, name, language }: { handoff: HandoffState; channel: Channel; name: string; language: 'zh_CN' | 'en' }) {
  const t = useT();
  const page = handoff.record && channel.kind !== 'email' && channel.kind !== 'link-list';
  return (
    <section aria-labelledby="handoff-fields">
      <h2 id="handoff-fields">{t('handoff_fieldsHeading', name)}</h2>
      {channel.route && (
        <>
          <h3>{t('handoff_route')}</h3>
          <p>{channel.route[language]}</p>
        </>
      )}
      <dl class="handoff-fields">
        {handoff.fields.map((field) => {
          const label = language === 'zh_CN' ? field.label : `${field.label} (${field.labelEn})`;
          if (field.source === 'screenshots') return <Screenshots key={field.label} handoff={handoff} label={label} />;
          return (
            <div key={field.label} class="handoff-field">
              <dt>
                {label}
                {field.required && <span class="hint"> ({t('handoff_required')})</span>}
              </dt>
              <dd>
                {field.text ? <pre class="handoff-text">{field.text}</pre> : <p class="hint">{t('handoff_empty')}</p>}
                {field.text && (
                  <button type="button" aria-label={t('handoff_copyLabel', field.label)} onClick={() => void handoff.copy(field.label, field.text)}>
                    {t('handoff_copy')}
                  </button>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {handoff.mailto && channel.emailAddress && (
        <p>
          <a class="button" href={handoff.mailto}>
            {t('handoff_email', channel.emailAddress)}
          </a>
          <br />
          <span class="hint">{t('handoff_emailHint')}</span>
        </p>
      )}
      {channel.links && (
        <>
          <h3>{t('handoff_links')}</h3>
          <p class="hint">{t('handoff_linkSearch')}</p>
          <ul class="handoff-links">
            {channel.links.map((link) => (
              <li key={link.name.en}>
                {link.url ? (
                  <a href={link.url} target="_blank" rel="noreferrer">
                    {link.name[language]}
                  </a>
                ) : (
                  link.name[language]
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {page && (
        <p>
          <button type="button" onClick={() => void handoff.choose(channel)}>
            {t('handoff_openForm')}
          </button>
        </p>
      )}
      <MarkSubmitted handoff={handoff} language={language} />
      <p>
        <button type="button" onClick={handoff.back}>
          {t('handoff_back')}
        </button>
      </p>
    </section>
  );
}

function Screenshots({ handoff, label }: { handoff: HandoffState; label: string }) {
  const t = useT();
  const urls = useMemo(
    () => handoff.artifacts.map((a) => ({ name: a.name, url: URL.createObjectURL(new Blob([a.bytes as BlobPart], { type: a.mediaType })) })),
    [handoff.artifacts],
  );
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u.url)), [urls]);
  return (
    <div class="handoff-field">
      <dt>{label}</dt>
      <dd>
        {urls.length === 0 ? (
          <p class="hint">{t('handoff_noScreenshots')}</p>
        ) : (
          <>
            <p class="hint">{t('handoff_screenshotsHint')}</p>
            <ul class="handoff-shots">
              {urls.map((shot) => (
                <li key={shot.name}>
                  <a href={shot.url} download={shot.name} draggable>
                    <img src={shot.url} alt="" width={120} />
                    {t('handoff_download', shot.name)}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </dd>
    </div>
  );
}

function MarkSubmitted({ handoff, language }: { handoff: HandoffState; language: 'zh_CN' | 'en' }) {
  const t = useT();
  const { notice, position } = handoff;
  const message =
    notice?.kind === 'copied'
      ? t('handoff_copied', notice.field)
      : notice?.kind === 'copyFailed'
        ? t('handoff_copyFailed')
        : notice?.kind === 'mustMark'
          ? t('handoff_mustMark')
          : notice?.kind === 'saved'
            ? t('handoff_saved', notice.channel.name[language])
            : '';
  const more = position.index + 1 < position.total;
  return (
    <section aria-labelledby="handoff-mark" class="handoff-mark">
      <h3 id="handoff-mark">{t('handoff_markHeading')}</h3>
      <p>
        <label>
          <input type="checkbox" checked={handoff.marked} onChange={(e) => handoff.setMarked((e.target as HTMLInputElement).checked)} />{' '}
          {t('handoff_markSubmitted')}
        </label>
      </p>
      <p>
        <label for="handoff-case">{t('handoff_caseNumber')}</label>
        <input
          id="handoff-case"
          type="text"
          maxLength={200}
          value={handoff.caseNumber}
          aria-describedby="handoff-case-hint"
          onInput={(e) => handoff.setCaseNumber((e.target as HTMLInputElement).value)}
        />
        <span id="handoff-case-hint" class="hint">
          {t('handoff_caseNumberHint')}
        </span>
      </p>
      <p>
        <button type="button" class="primary" onClick={() => void handoff.save()}>
          {t('handoff_save')}
        </button>{' '}
        {more && notice?.kind === 'saved' && (
          <button type="button" onClick={() => void handoff.next()}>
            {t('handoff_next')}
          </button>
        )}
      </p>
      <p role="status" aria-live="polite" class={notice?.kind === 'mustMark' || notice?.kind === 'copyFailed' ? 'error' : ''}>
        {message}
        {!more && notice?.kind === 'saved' && position.total > 1 ? ` ${t('handoff_done')}` : ''}
      </p>
    </section>
  );
}

function HandoffHistory({ lines, channels, language }: { lines: HandoffState['history']; channels: Channel[]; language: 'zh_CN' | 'en' }) {
  const t = useT();
  return (
    <section aria-labelledby="handoff-history">
      <h2 id="handoff-history">{t('handoff_history')}</h2>
      <ul>
        {lines.map((line) => {
          const channel = channels.find((c) => c.id === line.channel);
          return (
            <li key={line.at}>
              {channel ? channel.name[language] : (line.channel ?? line.endpoint)} — {new Date(line.at).toLocaleString()}
              {line.receipt ? ` — ${t('handoff_caseShort', line.receipt)}` : ''}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
