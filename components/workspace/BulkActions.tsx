import { useState } from 'preact/hooks';
import { CategoryFields } from './CategoryFields';
import type { CategoryDef } from '@/utils/categories';
import { useT } from '@/utils/ui/i18n';

interface Props {
  categories: readonly CategoryDef[];
  allVisibleSelected: boolean;
  selectedCount: number;
  onSelectAll: (checked: boolean) => void;
  onSubmit: () => void;
  onRetry: () => void;
  onDelete: () => void;
  onChangeCategory: (category: string, subReason: string) => void;
}

/** Actions on the selected reports: select all, submit, retry, delete, change category. */
export function BulkActions({ categories, allVisibleSelected, selectedCount, onSelectAll, onSubmit, onRetry, onDelete, onChangeCategory }: Props) {
  const t = useT();
  const [category, setCategory] = useState('');
  const [subReason, setSubReason] = useState('');
  return (
    <section class="ws-bulk" aria-labelledby="ws-bulk-heading">
      <h2 id="ws-bulk-heading">{t('workspace_bulk_heading')}</h2>
      <div class="ws-actions">
        <label class="ws-selectall">
          <input type="checkbox" checked={allVisibleSelected} onChange={(e) => onSelectAll(e.currentTarget.checked)} />
          <span>{t('workspace_select_all')}</span>
        </label>
        <span class="hint">{t('workspace_selected', selectedCount)}</span>
        <button type="button" class="primary" onClick={onSubmit}>
          {t('workspace_bulk_submit')}
        </button>
        <button type="button" onClick={onRetry}>
          {t('workspace_bulk_retry')}
        </button>
        <button type="button" onClick={onDelete}>
          {t('workspace_bulk_delete')}
        </button>
      </div>
      <div class="ws-actions">
        <CategoryFields
          categories={categories}
          category={category}
          subReason={subReason}
          categoryLabelKey="workspace_bulk_category"
          allowNone
          onChange={(value) => {
            setCategory(value.category);
            setSubReason(value.subReason);
          }}
        />
        <button type="button" onClick={() => onChangeCategory(category, subReason)}>
          {t('workspace_bulk_apply')}
        </button>
      </div>
    </section>
  );
}
