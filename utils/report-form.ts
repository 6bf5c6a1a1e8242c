import { z } from 'zod';
import { findCategory, findReason } from './categories';
import type { MessageKey } from './i18n';
import { explanationMissing, reporterMissing, type SubmitContext } from './policy-view';
import { EXPLANATION_MAX } from './schema/limits';
import type { SubmitReportRequest } from './schema/messages';

/** What the user has entered in the report form; kept per tab so closing the popup loses nothing. */
export const ReportDraft = z.object({
  category: z.string().optional(),
  subReason: z.string().optional(),
  explanation: z.string().default(''),
  goodFaith: z.boolean().default(false),
});
export type ReportDraft = z.infer<typeof ReportDraft>;

export { EMPTY_DRAFT } from './draft-defaults';

/** A stored draft (session storage), when it is one. */
export function parseDraft(stored: unknown): ReportDraft | undefined {
  const parsed = ReportDraft.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

/** `reporter`: the policy requires a name and contact, which live in Settings, not in the form. */
export type DraftField = 'category' | 'explanation' | 'goodFaith' | 'reporter';
export type DraftErrors = Partial<Record<DraftField, { key: MessageKey; subs?: Array<string | number> }>>;

/**
 * The one check of a report before it is submitted, used by every form (popup and report window;
 * the background checks the same rules again): on success the request to send, else an error
 * per field (i18n keys).
 */
export function validateDraft(
  draft: ReportDraft,
  context: SubmitContext,
  tabId: number,
): { ok: true; request: SubmitReportRequest } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const category = draft.category ? findCategory(context.categories, draft.category) : undefined;
  if (!category) errors.category = { key: 'error_category_required' };
  if (draft.explanation.length > EXPLANATION_MAX) errors.explanation = { key: 'error_explanation_tooLong', subs: [EXPLANATION_MAX] };
  else if (explanationMissing(context, draft.explanation)) errors.explanation = { key: 'error_explanation_required' };
  // Accepted once on this device, the statement stands (shown beside Submit) until withdrawn.
  if (!draft.goodFaith && !context.goodFaithAccepted) errors.goodFaith = { key: 'error_goodFaith_required' };
  // The draft stays as typed; the user adds their identity in Settings and submits again.
  if (reporterMissing(context)) errors.reporter = { key: 'policy_reporter_missing' };
  if (!category || Object.keys(errors).length > 0) return { ok: false, errors };
  const subReason = findReason(category, draft.subReason)?.id;
  return {
    ok: true,
    request: {
      tabId,
      category: category.id,
      ...(subReason ? { subReason } : {}),
      explanation: draft.explanation,
      goodFaith: true,
    },
  };
}
