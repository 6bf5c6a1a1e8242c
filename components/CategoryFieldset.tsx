import type { CategoryDef } from '@/utils/categories';
import { categoryHint, categoryLabel, findCategory } from '@/utils/categories';
import { useT } from '@/utils/ui/i18n';

interface Props {
  categories: readonly CategoryDef[];
  category?: string;
  subReason?: string;
  error?: string;
  onChange: (choice: { category: string; subReason?: string }) => void;
}

/**
 * The category radio group. Each radio's accessible name is the category name alone
 * (`Rumor`, …: DESIGN.md UI contract); the one-line hint is its description.
 */
export function CategoryFieldset({ categories, category, subReason, error, onChange }: Props) {
  const t = useT();
  const selected = category ? findCategory(categories, category) : undefined;
  return (
    <fieldset class="field categories" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'category-error' : undefined}>
      <legend>{t('popup_categoryLegend')}</legend>
      {error && (
        <p id="category-error" class="field-error">
          {error}
        </p>
      )}
      {categories.map((def) => (
        <div class="choice" key={def.id}>
          <input
            type="radio"
            id={`category-${def.id}`}
            name="category"
            value={def.id}
            checked={category === def.id}
            aria-describedby={`category-${def.id}-hint`}
            onChange={() => onChange({ category: def.id })}
          />
          <label for={`category-${def.id}`}>{categoryLabel(t, def)}</label>
          <p id={`category-${def.id}-hint`} class="hint">
            {categoryHint(t, def)}
          </p>
        </div>
      ))}
      {selected && selected.reasons.length > 0 && (
        <div class="field">
          <label for="sub-reason">{t('popup_reasonLabel')}</label>
          <select
            id="sub-reason"
            value={subReason ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              onChange({ category: selected.id, ...(value ? { subReason: value } : {}) });
            }}
          >
            <option value="">{t('popup_reasonNone')}</option>
            {selected.reasons.map((reason) => (
              <option key={reason.id} value={reason.id}>
                {t(reason.label)}
              </option>
            ))}
          </select>
        </div>
      )}
    </fieldset>
  );
}
