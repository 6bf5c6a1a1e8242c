import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { CategoryDef } from '@/utils/categories';
import { useT } from '@/utils/ui/i18n';
import type { DraftErrors, ReportDraft } from '@/utils/report-form';
import { EXPLANATION_MAX } from '@/utils/schema/limits';
import { CategoryFieldset } from './CategoryFieldset';

interface Props {
  categories: readonly CategoryDef[];
  draft: ReportDraft;
  errors: DraftErrors;
  /** Set when submitting failed for a reason outside the form (already translated). */
  submitError?: string;
  busy: boolean;
  /** The school's policy requires an explanation; otherwise it is optional. */
  explanationRequired?: boolean;
  /** The good-faith statement was accepted on this device before: it is shown as a line beside Submit, no tick. */
  goodFaithAccepted?: boolean;
  onChange: (draft: ReportDraft) => void;
  onSubmit: () => void;
  /** Shown between the category and the explanation (the report window's evidence summary). */
  children?: ComponentChildren;
}

/**
 * The report form, category first: the category cards (and their optional sub-reason chips),
 * then what else a report may carry (`children`: the evidence summary in the report window), the
 * optional explanation, the good-faith statement and **Submit report**, which stays in view.
 */
export function ReportForm({ categories, draft, errors, submitError, busy, explanationRequired, goodFaithAccepted, onChange, onSubmit, children }: Props) {
  const t = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const errorText = (field: keyof DraftErrors) => {
    const error = errors[field];
    return error ? t(error.key, error.subs) : undefined;
  };
  const hasErrors = Object.keys(errors).length > 0;

  // After a failed submit, move focus to the first field that needs attention.
  useEffect(() => {
    if (!hasErrors) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    const target = invalid?.tagName === 'FIELDSET' ? invalid.querySelector<HTMLElement>('input') : invalid;
    target?.focus();
  }, [errors]);

  return (
    <form
      ref={formRef}
      class="report-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!busy) onSubmit();
      }}
    >
      <div class="form-body">
        {(hasErrors || submitError) && (
          <p class="form-error" role="alert">
            {submitError ?? (errors.reporter ? errorText('reporter') : t('error_form_summary'))}
          </p>
        )}
        <CategoryFieldset
          categories={categories}
          category={draft.category}
          subReason={draft.subReason}
          error={errorText('category')}
          onChange={(choice) => onChange({ ...draft, category: choice.category, subReason: choice.subReason })}
        />
        {children}
        <div class="field">
          <label for="explanation">{t('popup_explanationLabel')}</label>
          <p id="explanation-hint" class="hint">
            {t(explanationRequired ? 'popup_explanationHintRequired' : 'popup_explanationHint', EXPLANATION_MAX)}
          </p>
          <textarea
            id="explanation"
            rows={2}
            value={draft.explanation}
            aria-required={explanationRequired ? 'true' : undefined}
            aria-invalid={errors.explanation ? 'true' : undefined}
            aria-describedby={errors.explanation ? 'explanation-hint explanation-error' : 'explanation-hint'}
            onInput={(event) => onChange({ ...draft, explanation: event.currentTarget.value })}
          />
          {errors.explanation && (
            <p id="explanation-error" class="field-error">
              {errorText('explanation')}
            </p>
          )}
        </div>
        {!goodFaithAccepted && (
          <div class="field checkbox">
            <input
              type="checkbox"
              id="good-faith"
              checked={draft.goodFaith}
              aria-invalid={errors.goodFaith ? 'true' : undefined}
              aria-describedby={errors.goodFaith ? 'good-faith-error' : undefined}
              onChange={(event) => onChange({ ...draft, goodFaith: event.currentTarget.checked })}
            />
            <label for="good-faith">{t('popup_goodFaith')}</label>
            {errors.goodFaith && (
              <p id="good-faith-error" class="field-error">
                {errorText('goodFaith')}
              </p>
            )}
          </div>
        )}
      </div>
      {/* Stays in view at the bottom of the window however long the form above it grows. */}
      <div class="submit-bar">
        {/* Accepted once on this device (docs/good-faith.md): each report still says what Submit affirms. */}
        {goodFaithAccepted && (
          <p id="good-faith-statement" class="hint good-faith-statement">
            {t('popup_goodFaithStanding')}
          </p>
        )}
        <button
          type="submit"
          id="submit-report"
          class="primary"
          aria-disabled={busy ? 'true' : undefined}
          aria-describedby={goodFaithAccepted ? 'good-faith-statement' : undefined}
        >
          {t('popup_submit')}
        </button>
      </div>
    </form>
  );
}
