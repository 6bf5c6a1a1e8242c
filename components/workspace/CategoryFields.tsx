import { categoryLabel, findCategory, type CategoryDef } from '@/utils/categories';
import { type MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/ui/i18n';

interface Props {
  categories: readonly CategoryDef[];
  category: string;
  subReason: string;
  /** Choosing a category clears the sub-reason: reasons belong to one category. */
  onChange: (value: { category: string; subReason: string }) => void;
  categoryLabelKey: MessageKey;
  /** Offer "none" as a category (bulk change: nothing chosen yet). */
  allowNone?: boolean;
}

/** The category select and its sub-reason select: the report detail's edit form and bulk change. */
export function CategoryFields({ categories, category, subReason, onChange, categoryLabelKey, allowNone = false }: Props) {
  const t = useT();
  const reasons = findCategory(categories, category)?.reasons ?? [];
  return (
    <>
      <label>
        <span>{t(categoryLabelKey)}</span>
        <select value={category} onChange={(e) => onChange({ category: e.currentTarget.value, subReason: '' })}>
          {allowNone && <option value="">{t('workspace_bulk_none')}</option>}
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {categoryLabel(t, c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('workspace_bulk_reason')}</span>
        <select value={subReason} onChange={(e) => onChange({ category, subReason: e.currentTarget.value })}>
          <option value="">{t('workspace_bulk_none')}</option>
          {reasons.map((r) => (
            <option key={r.id} value={r.id}>
              {t(r.label)}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
