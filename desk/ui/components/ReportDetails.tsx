/**
 * Everything the reporter sent, as text: the captured text is a text node (never HTML), and an
 * address becomes a link only when it is http(s), opened without opener or referrer.
 */
import { useState } from 'preact/hooks';
import type { Selector } from '../../../utils/schema/capture';
import type { ReportView } from '../../api/contract';
import { useMessages } from '../i18n';

const CHILD_EXPLOITATION = { category: 'minors', subReason: 'child_exploitation' } as const;
/** Categories whose images stay blurred until the reviewer asks (utils/categories.ts `blurPreviews`). */
export const isChildExploitation = (category: string, subReason: string | undefined | null) =>
  category === CHILD_EXPLOITATION.category && subReason === CHILD_EXPLOITATION.subReason;

export function SafeLink({ url }: { url: string }) {
  const web = URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol);
  if (!web) return <span class="url">{url}</span>;
  return (
    <a class="url" href={url} target="_blank" rel="noopener noreferrer">
      {url}
    </a>
  );
}

function describeSelector(selector: Selector): string {
  switch (selector.type) {
    case 'CssSelector':
      return `CSS: ${selector.value}${selector.refinedBy ? ` → ${describeSelector(selector.refinedBy)}` : ''}`;
    case 'TextQuoteSelector':
      return `TextQuote: “${selector.exact}”`;
    case 'TextPositionSelector':
      return `TextPosition: ${selector.start}–${selector.end}`;
  }
}

export interface ReportDetailsProps {
  view: ReportView;
  /** Blur the images until Reveal (the category is harmful to minors). */
  blurImages: boolean;
}

export function ReportDetails({ view, blurImages }: ReportDetailsProps) {
  const { t, category, subReason, dateTime } = useMessages();
  const { report } = view;
  const { target } = report;
  const childExploitation = isChildExploitation(report.category, report.subReason);
  return (
    <>
      <section aria-labelledby="details-heading">
        <h2 id="details-heading">{t('report_details')}</h2>
        <dl class="facts">
          <dt>{t('report_category')}</dt>
          <dd>{category(report.category)}</dd>
          {report.subReason && (
            <>
              <dt>{t('report_subReason')}</dt>
              <dd>{subReason(report.category, report.subReason)}</dd>
            </>
          )}
          <dt>{t('report_channel')}</dt>
          <dd>{view.channel.name}</dd>
          <dt>{t('report_received')}</dt>
          <dd>
            <time dateTime={view.receivedAt}>{dateTime(view.receivedAt)}</time>
          </dd>
          <dt>{t('report_receipt')}</dt>
          <dd>
            <code>{view.receipt}</code>
          </dd>
        </dl>
      </section>
      {childExploitation && (
        <section class="guidance" aria-labelledby="guidance-heading">
          <h2 id="guidance-heading">{t('childExploitation_title')}</h2>
          <p>{t('childExploitation_body')}</p>
        </section>
      )}
      <section aria-labelledby="target-heading">
        <h2 id="target-heading">{t('report_target')}</h2>
        <dl class="facts">
          <dt>{t('report_url')}</dt>
          <dd>
            <SafeLink url={target.url} />
          </dd>
          <dt>{t('report_title')}</dt>
          <dd>{target.title || t('untitled')}</dd>
          <dt>{t('report_kind')}</dt>
          <dd>
            {target.kind}
            {target.tagName && ` <${target.tagName}>`}
          </dd>
        </dl>
        {target.selectors && target.selectors.length > 0 && (
          <>
            <h3>{t('report_selectors')}</h3>
            <ul class="selectors">
              {target.selectors.map((selector) => (
                <li>
                  <code>{describeSelector(selector)}</code>
                </li>
              ))}
            </ul>
          </>
        )}
        {target.text !== undefined && (
          <>
            <h3>{t('report_text')}</h3>
            <pre class="captured" data-testid="captured-text">
              {target.text}
            </pre>
            {target.textTruncated && <p class="hint">{t('report_textTruncated')}</p>}
          </>
        )}
        {target.links && target.links.length > 0 && (
          <>
            <h3>{t('report_links')}</h3>
            <ul>
              {target.links.map((link) => (
                <li>
                  <SafeLink url={link} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="explanation-heading">
        <h2 id="explanation-heading">{t('report_explanation')}</h2>
        <p class="prose">{report.explanation || t('none')}</p>
        <h3>{t('report_reporter')}</h3>
        {report.reporter && (report.reporter.name || report.reporter.contact) ? (
          <dl class="facts">
            <dt>{t('report_reporterName')}</dt>
            <dd>{report.reporter.name || t('none')}</dd>
            <dt>{t('report_reporterContact')}</dt>
            <dd>{report.reporter.contact || t('none')}</dd>
          </dl>
        ) : (
          <p>{t('report_reporterNone')}</p>
        )}
      </section>
      <Evidence artifacts={view.artifacts} blurImages={blurImages} noPixels={childExploitation} />
    </>
  );
}

function Evidence({ artifacts, blurImages, noPixels }: { artifacts: ReportView['artifacts']; blurImages: boolean; noPixels: boolean }) {
  const { t } = useMessages();
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{t('report_evidence')}</h2>
      {artifacts.length === 0 ? (
        <p>{t('evidence_none')}</p>
      ) : (
        <ul class="evidence">
          {artifacts.map((artifact) => (
            <li key={artifact.sha256 + artifact.name}>
              <p>
                <strong>{artifact.name}</strong> · {artifact.mediaType} · {t('evidence_size', artifact.size)}
              </p>
              <p class={artifact.verified ? 'verified' : 'unverified'}>
                {artifact.verified ? `✓ ${t('evidence_verified')}` : `✗ ${t('evidence_unverified')}`} · SHA-256 <code>{artifact.sha256}</code>
              </p>
              {artifact.mediaType.startsWith('image/') && !noPixels ? (
                <EvidenceImage href={artifact.href} name={artifact.name} blurred={blurImages} />
              ) : (
                !noPixels && (
                  <a href={artifact.href} target="_blank" rel="noopener noreferrer">
                    {t('evidence_open', artifact.name)}
                  </a>
                )
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EvidenceImage({ href, name, blurred }: { href: string; name: string; blurred: boolean }) {
  const { t } = useMessages();
  const [revealed, setRevealed] = useState(!blurred);
  return (
    <div class="shot">
      <img src={href} alt={t('evidence_alt', name)} class={revealed ? undefined : 'blurred'} />
      {!revealed && (
        <p>
          <span class="hint">{t('evidence_blurred')}</span>{' '}
          <button type="button" onClick={() => setRevealed(true)}>
            {t('reveal')}
          </button>
        </p>
      )}
    </div>
  );
}
