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

/** Decorative pictograms for the built-in categories (aria-hidden: the name is the label). */
const ICON_PATHS: Record<string, string> = {
  // A speech bubble with an exclamation mark: something said that is not true.
  rumor: 'M4 4h16v11H9l-5 4V4zm7 2v5h2V6h-2zm0 6v2h2v-2h-2z',
  // A lightning bolt: an attack on a person.
  cyberviolence: 'M13 2 4 14h6l-1 8 9-12h-6l1-8z',
  // A shield: protecting children.
  minors: 'M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3zm0 5a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm-4 9c.5-2 2-3 4-3s3.5 1 4 3H8z',
};
// An organisation's own category: a flag.
const FALLBACK_ICON = 'M5 3h2v18H5V3zm3 1h10l-2 4 2 4H8V4z';

/**
 * The category choice, first in every report form: one large button per category (a radio
 * card with a pictogram and the name). Each radio's accessible name is the category name alone
 * (`Rumor`, …: DESIGN.md UI contract); its one-line hint is its description. Choosing one shows
 * its sub-reasons as optional chips (a radio group whose first chip, "Not specified", is the
 * default), so keyboard users pass them with one Tab.
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
      <div class="category-cards" data-count={categories.length}>
        {categories.map((def) => (
          <div class="category-card" key={def.id}>
            <input
              type="radio"
              id={`category-${def.id}`}
              name="category"
              value={def.id}
              checked={category === def.id}
              aria-describedby={`category-${def.id}-hint`}
              onChange={() => onChange({ category: def.id })}
            />
            <label for={`category-${def.id}`}>
              <svg class="category-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
                <path d={ICON_PATHS[def.id] ?? FALLBACK_ICON} fill="currentColor" />
              </svg>
              <span>{categoryLabel(t, def)}</span>
            </label>
          </div>
        ))}
      </div>
      {/* Descriptions: the chosen category's is shown; all stay referenced by their radio. */}
      {categories.map((def) => (
        <p key={def.id} id={`category-${def.id}-hint`} class={category === def.id ? 'hint category-hint' : 'visually-hidden'}>
          {categoryHint(t, def)}
        </p>
      ))}
      {selected && selected.reasons.length > 0 && (
        <fieldset class="chips">
          <legend>{t('popup_reasonLabel')}</legend>
          {[{ id: '', text: t('popup_reasonNone') }, ...selected.reasons.map((reason) => ({ id: reason.id, text: t(reason.label) }))].map((chip) => (
            <span class="chip" key={chip.id || 'none'}>
              <input
                type="radio"
                id={`sub-reason-${chip.id || 'none'}`}
                name="sub-reason"
                value={chip.id}
                checked={(subReason ?? '') === chip.id}
                onChange={() => onChange({ category: selected.id, ...(chip.id ? { subReason: chip.id } : {}) })}
              />
              <label for={`sub-reason-${chip.id || 'none'}`}>{chip.text}</label>
            </span>
          ))}
        </fieldset>
      )}
    </fieldset>
  );
}
