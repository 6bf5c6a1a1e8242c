import { categoryLabel, type CategoryDef } from '@/utils/categories';
import { useT } from '@/utils/ui/i18n';
import { reviewStatusText } from '@/utils/status/words';
import { deliveryStateKey, DELIVERY_STATUSES, NOT_HANDED_OFF, REVIEW_STATES, type FilterValues, type SortOrder } from '@/utils/workspace/rows';

interface Props {
  values: FilterValues;
  categories: readonly CategoryDef[];
  sites: readonly string[];
  /** Channels reports were handed off to, with their names (issue 16). */
  handoffChannels?: ReadonlyArray<{ id: string; name: string }>;
  onChange: (values: FilterValues) => void;
  /** No endpoint is set: the held state is named as kept here. */
  noEndpoint?: boolean;
}

const SORTS: SortOrder[] = ['newest', 'oldest', 'site', 'state', 'review'];

/** State, category, site and date filters, text search and sort order. */
export function WorkspaceFilters({ values, categories, sites, handoffChannels = [], noEndpoint = false, onChange }: Props) {
  const t = useT();
  const set = (patch: Partial<FilterValues>) => onChange({ ...values, ...patch });
  return (
    <section class="ws-filters" aria-labelledby="ws-filters-heading">
      <h2 id="ws-filters-heading">{t('workspace_filter_heading')}</h2>
      <div class="ws-filter-grid">
        <label class="ws-search">
          <span>{t('workspace_filter_search')}</span>
          <input type="search" value={values.query} onInput={(e) => set({ query: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t('workspace_filter_state')}</span>
          <select value={values.status} onChange={(e) => set({ status: e.currentTarget.value })}>
            <option value="">{t('workspace_filter_all')}</option>
            {DELIVERY_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(deliveryStateKey(status, noEndpoint))}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('workspace_filter_review')}</span>
          <select value={values.review} onChange={(e) => set({ review: e.currentTarget.value })}>
            <option value="">{t('workspace_filter_all')}</option>
            <option value="none">{t('workspace_review_none')}</option>
            {REVIEW_STATES.map((state) => (
              <option key={state} value={state}>
                {reviewStatusText(t, { state })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('workspace_filter_category')}</span>
          <select value={values.category} onChange={(e) => set({ category: e.currentTarget.value })}>
            <option value="">{t('workspace_filter_all')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {categoryLabel(t, c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('handoff_filter')}</span>
          <select value={values.handoff} onChange={(e) => set({ handoff: e.currentTarget.value })}>
            <option value="">{t('workspace_filter_all')}</option>
            <option value={NOT_HANDED_OFF}>{t('handoff_filter_none')}</option>
            {handoffChannels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('workspace_filter_site')}</span>
          <select value={values.site} onChange={(e) => set({ site: e.currentTarget.value })}>
            <option value="">{t('workspace_filter_all')}</option>
            {sites.map((site) => (
              <option key={site} value={site}>
                {site}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('workspace_filter_from')}</span>
          <input type="date" value={values.from} onChange={(e) => set({ from: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t('workspace_filter_to')}</span>
          <input type="date" value={values.to} onChange={(e) => set({ to: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t('workspace_filter_sort')}</span>
          <select value={values.sort} onChange={(e) => set({ sort: e.currentTarget.value as SortOrder })}>
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(`workspace_sort_${sort}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}
