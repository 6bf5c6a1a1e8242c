import type { MessageKey, Translate } from './i18n';

/**
 * The user-facing report categories (DESIGN.md "Categories"). Ids are stable wire values;
 * labels are translated. `dsa` is an optional interoperability code from the EU DSA
 * transparency database (`STATEMENT_CATEGORY_*`) so a receiver can forward a report to a
 * platform's notice form; it is never shown as the user-facing model.
 */
export type EvidencePolicy =
  /** Screenshots and captured text are allowed. */
  | 'full'
  /** Never capture or store pixels or page HTML: URL, description and metadata only. */
  | 'metadata-only';

export interface ReasonDef {
  id: string;
  label: MessageKey;
  dsa?: string;
  evidence: EvidencePolicy;
}

export interface CategoryDef {
  id: string;
  label: MessageKey;
  hint: MessageKey;
  /** Absent for an organisation's own category that maps to no DSA code. */
  dsa?: string;
  /** Previews of captured evidence are blurred until the user reveals them. */
  blurPreviews: boolean;
  reasons: ReasonDef[];
  /**
   * An organisation's own category (managed policy) has its text from the policy, already in
   * the UI language; `label`/`hint` then hold generic fallbacks.
   */
  display?: { label: string; hint?: string };
}

const reason = (category: string, id: string, extra: Partial<ReasonDef> = {}): ReasonDef => ({
  id,
  label: `reason_${category}_${id}` as MessageKey,
  evidence: 'full',
  ...extra,
});

export const BUILT_IN_CATEGORIES: readonly CategoryDef[] = [
  {
    id: 'rumor',
    label: 'category_rumor',
    hint: 'category_rumor_hint',
    dsa: 'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS',
    blurPreviews: false,
    reasons: [
      reason('rumor', 'fabricated'),
      reason('rumor', 'health_safety', { dsa: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY' }),
      reason('rumor', 'disaster', { dsa: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY' }),
      reason('rumor', 'paid_posting'),
    ],
  },
  {
    id: 'cyberviolence',
    label: 'category_cyberviolence',
    hint: 'category_cyberviolence_hint',
    dsa: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH',
    blurPreviews: false,
    reasons: [
      reason('cyberviolence', 'insults'),
      reason('cyberviolence', 'defamation'),
      reason('cyberviolence', 'doxxing', { dsa: 'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS' }),
      reason('cyberviolence', 'threats', { dsa: 'STATEMENT_CATEGORY_VIOLENCE' }),
      reason('cyberviolence', 'pile_on'),
    ],
  },
  {
    id: 'minors',
    label: 'category_minors',
    hint: 'category_minors_hint',
    dsa: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
    blurPreviews: true,
    reasons: [
      reason('minors', 'sexual_vulgar'),
      reason('minors', 'violence_gore'),
      reason('minors', 'self_harm', { dsa: 'STATEMENT_CATEGORY_SELF_HARM' }),
      reason('minors', 'zuan'),
      reason('minors', 'black_world'),
      reason('minors', 'gambling_loans'),
      reason('minors', 'child_exploitation', { evidence: 'metadata-only' }),
    ],
  },
];

export function findCategory(categories: readonly CategoryDef[], id: string): CategoryDef | undefined {
  return categories.find((category) => category.id === id);
}

export function findReason(category: CategoryDef | undefined, id: string | undefined): ReasonDef | undefined {
  return id === undefined ? undefined : category?.reasons.find((r) => r.id === id);
}

/** Whether a category choice allows pixels: metadata-only sub-reasons never do. */
export function isMetadataOnly(categories: readonly CategoryDef[], category?: string, subReason?: string): boolean {
  return findReason(findCategory(categories, category ?? ''), subReason)?.evidence === 'metadata-only';
}

/** The DSA code for a choice: the sub-reason's own code when it has one, else the category's. */
export function dsaCodeFor(category: CategoryDef, reasonId?: string): string | undefined {
  return findReason(category, reasonId)?.dsa ?? category.dsa;
}

export const categoryLabel = (t: Translate, category: CategoryDef) => category.display?.label ?? t(category.label);
export const categoryHint = (t: Translate, category: CategoryDef) => (category.display ? (category.display.hint ?? '') : t(category.hint));
