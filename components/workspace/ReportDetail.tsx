import { useEffect, useRef, useState } from 'preact/hooks';
import { CategoryFields } from './CategoryFields';
import { categoryLabel, findCategory, findReason, type CategoryDef } from '@/utils/categories';
import { describeDeliveryError } from '@/utils/delivery-text';
import { type MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/ui/i18n';
import type { LedgerLine, ReportRecord } from '@/utils/schema/record';
import { canEdit, type ReportEdit } from '@/utils/reports/edit';
import { reviewStatusText } from '@/utils/status/words';
import { ReviewStatus } from '../ReviewStatus';
import { deliveryStateKey } from '@/utils/workspace/rows';
import type { EvidenceArtifact } from '@/utils/workspace/evidence';

interface Props {
  record: ReportRecord;
  ledger: readonly LedgerLine[];
  artifacts: readonly EvidenceArtifact[];
  capturedText?: string;
  categories: readonly CategoryDef[];
  formatTime: (epochMs: number) => string;
  /** Resolves with a translated error message, or undefined when saved. */
  onSave: (edit: ReportEdit) => Promise<string | undefined>;
  onClose: () => void;
  /** Opens the hand-off to an official channel (issue 16). */
  onHandoff?: () => void;
  /** No endpoint is set: a held report is shown as kept here. */
  noEndpoint?: boolean;
}

/** Everything captured for one report (as text), its evidence with hashes, and its ledger. */
export function ReportDetail({ record, ledger, artifacts, capturedText, categories, formatTime, onSave, onClose, onHandoff, noEndpoint = false }: Props) {
  const t = useT();
  const { report } = record;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [category, setCategory] = useState(report.category);
  const [subReason, setSubReason] = useState(report.subReason ?? '');
  const [explanation, setExplanation] = useState(report.explanation);
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const editable = canEdit(record);

  useEffect(() => {
    setCategory(report.category);
    setSubReason(report.subReason ?? '');
    setExplanation(report.explanation);
    setStatus(undefined);
    headingRef.current?.focus();
  }, [record.id]);

  const stored = findCategory(categories, report.category);
  const storedReason = findReason(stored, report.subReason);
  const field = (label: MessageKey, value: string | undefined) =>
    value ? (
      <div class="ws-field">
        <dt>{t(label)}</dt>
        <dd>{value}</dd>
      </div>
    ) : null;

  return (
    <section class="ws-detail" aria-labelledby="ws-detail-heading">
      <div class="ws-detail-head">
        <h2 id="ws-detail-heading" tabIndex={-1} ref={headingRef}>
          {t('workspace_detail_heading')}
        </h2>
        {onHandoff && (
          <button type="button" onClick={onHandoff}>
            {t('handoff_button')}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {t('workspace_detail_close')}
        </button>
      </div>
      <dl class="ws-fields">
        {field('workspace_detail_id', report.id)}
        {field('workspace_detail_state', t(deliveryStateKey(record.status, noEndpoint)))}
        {field('workspace_detail_created', report.createdAt)}
        {field('workspace_detail_title', report.target.title)}
        {field('workspace_detail_url', report.target.url)}
        {field('workspace_detail_canonical', report.target.canonicalUrl)}
        {field('workspace_detail_kind', report.target.kind)}
        {!editable &&
          field(
            'workspace_detail_category',
            [stored ? categoryLabel(t, stored) : report.category, storedReason ? t(storedReason.label) : ''].filter(Boolean).join(' · '),
          )}
        {!editable && field('workspace_detail_explanation', report.explanation)}
        {field('workspace_detail_capturedText', capturedText)}
        {field('workspace_detail_goodFaith', report.goodFaith.at)}
        {field('workspace_detail_client', `${report.client.name} ${report.client.version} (${report.client.locale})`)}
        {field('workspace_detail_attempts', String(record.attempts))}
        {field('workspace_detail_receipt', record.receipt)}
        {record.review && (
          <div class="ws-field">
            <dt>{t('workspace_detail_review')}</dt>
            <dd>
              <ReviewStatus review={record.review} full />
            </dd>
          </div>
        )}
        {record.importedAt !== undefined && field('workspace_detail_imported', t('workspace_detail_importedNote'))}
        {record.lastError && field('workspace_state_failed', describeDeliveryError(t, record.lastError))}
      </dl>

      {editable ? (
        <form
          class="ws-edit"
          onSubmit={async (event) => {
            event.preventDefault();
            const error = await onSave({ explanation, category, subReason: subReason || null });
            setStatus(error ? { ok: false, text: error } : { ok: true, text: t('workspace_detail_saved') });
          }}
        >
          <CategoryFields
            categories={categories}
            category={category}
            subReason={subReason}
            categoryLabelKey="workspace_detail_category"
            onChange={(value) => {
              setCategory(value.category);
              setSubReason(value.subReason);
            }}
          />
          <label>
            <span>{t('workspace_detail_explanation')}</span>
            <textarea rows={5} maxLength={5000} value={explanation} onInput={(e) => setExplanation(e.currentTarget.value)} />
          </label>
          <button type="submit">{t('workspace_detail_save')}</button>
          <p role="status" class={status?.ok === false ? 'form-error' : 'form-ok'}>
            {status?.text ?? ''}
          </p>
        </form>
      ) : (
        <p class="hint">{t('workspace_detail_readOnly')}</p>
      )}

      <h3>{t('workspace_detail_evidence')}</h3>
      {artifacts.length === 0 ? (
        <p class="hint">{t('workspace_detail_noEvidence')}</p>
      ) : (
        <ul class="ws-evidence">
          {artifacts.map((a) => (
            <li key={a.name}>
              {a.name} ({a.mediaType}, {a.size} B){a.redactedAreas ? ` · ${t('evidence_redacted', a.redactedAreas)}` : ''}
              <br />
              <code>SHA-256 {a.sha256}</code>
            </li>
          ))}
        </ul>
      )}

      <h3>{t('workspace_detail_ledger')}</h3>
      {ledger.length === 0 ? (
        <p class="hint">{t('workspace_detail_noLedger')}</p>
      ) : (
        <table class="ws-ledger">
          <thead>
            <tr>
              <th scope="col">{t('workspace_detail_time')}</th>
              <th scope="col">{t('workspace_detail_endpoint')}</th>
              <th scope="col">{t('workspace_detail_outcome')}</th>
              <th scope="col">{t('workspace_detail_http')}</th>
              <th scope="col">{t('workspace_detail_receipt')}</th>
              <th scope="col">{t('workspace_detail_answer')}</th>
            </tr>
          </thead>
          <tbody>
            {ledger.map((line, i) => (
              <tr key={i}>
                <td>{formatTime(line.at)}</td>
                <td class="ws-break">{line.endpoint}</td>
                <td>{line.review ? reviewStatusText(t, line.review) : t(`workspace_outcome_${line.outcome}`)}</td>
                <td>{line.httpStatus ?? ''}</td>
                <td>{line.receipt ?? ''}</td>
                <td class="ws-break">{line.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
