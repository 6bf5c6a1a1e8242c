import { useState } from 'preact/hooks';
import { REPORT_STATES } from '../../../utils/schema/wire';
import type { QueuePage } from '../../api/contract';
import type { ApiFailure, QueueFilters } from '../api';
import { useMessages } from '../i18n';
import { ErrorText, Loading, ScreenHeading } from './common';

export interface QueueProps {
  filters: QueueFilters;
  categories: readonly string[];
  channels: ReadonlyArray<{ id: string; name: string }>;
  page: QueuePage | undefined;
  loading: boolean;
  error: ApiFailure | undefined;
  hasPrevious: boolean;
  onFilters: (filters: QueueFilters) => void;
  onNext: () => void;
  onPrevious: () => void;
  reportHref: (id: string) => string;
  exportHref: (format: 'csv' | 'json') => string;
  onLink: (event: MouseEvent) => void;
}

export function Queue(props: QueueProps) {
  const { t, category, dateTime } = useMessages();
  const rows = props.page?.rows ?? [];
  return (
    <main id="main">
      <ScreenHeading title={t('queue_title')}>{t('queue_title')}</ScreenHeading>
      <FilterForm key={JSON.stringify(props.filters)} {...props} />
      <ErrorText failure={props.error} />
      {props.loading && !props.page ? (
        <Loading />
      ) : rows.length === 0 && !props.error ? (
        <p>{t('queue_empty')}</p>
      ) : (
        <table class="queue" aria-busy={props.loading}>
          <caption>{t('queue_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('col_title')}</th>
              <th scope="col">{t('col_category')}</th>
              <th scope="col">{t('col_channel')}</th>
              <th scope="col">{t('col_received')}</th>
              <th scope="col">{t('col_state')}</th>
              <th scope="col">{t('col_cluster')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>
                  <a href={props.reportHref(row.id)} onClick={props.onLink}>
                    {row.title.trim() || t('untitled')}
                  </a>
                  <span class="url">{row.url}</span>
                </td>
                <td>{category(row.category)}</td>
                <td>{row.channelName}</td>
                <td>
                  <time dateTime={row.receivedAt}>{dateTime(row.receivedAt)}</time>
                </td>
                <td>
                  {t(`state_${row.state}`)}
                  {row.outcome && ` · ${t(`outcome_${row.outcome}`)}`}
                </td>
                <td>{row.clusterSize}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label={t('page_label')}>
        <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious}>
          {t('page_previous')}
        </button>
        <button type="button" disabled={!props.page?.nextCursor} onClick={props.onNext}>
          {t('page_next')}
        </button>
      </nav>
    </main>
  );
}

/** The filters being edited; starts from the applied ones (its `key` changes with them). */
function FilterForm(props: QueueProps) {
  const { t, category } = useMessages();
  const [draft, setDraft] = useState<QueueFilters>(props.filters);
  const set = (key: keyof QueueFilters) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement).value;
    setDraft((previous) => ({ ...previous, [key]: value }));
  };
  return (
    <form
      class="filters"
      role="search"
      aria-label={t('filters')}
      onSubmit={(event) => {
        event.preventDefault();
        props.onFilters(draft);
      }}
    >
      <label class="search">
        {t('search')}
        <input type="search" name="q" value={draft.q ?? ''} onInput={set('q')} aria-describedby="search-hint" />
      </label>
      <span id="search-hint" class="hint">
        {t('search_hint')}
      </span>
      <label>
        {t('filter_state')}
        <select value={draft.state ?? ''} onChange={set('state')}>
          <option value="">{t('filter_any')}</option>
          {REPORT_STATES.map((state) => (
            <option value={state}>{t(`state_${state}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('filter_category')}
        <select value={draft.category ?? ''} onChange={set('category')}>
          <option value="">{t('filter_any')}</option>
          {props.categories.map((id) => (
            <option value={id}>{category(id)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('filter_channel')}
        <select value={draft.channel ?? ''} onChange={set('channel')}>
          <option value="">{t('filter_any')}</option>
          {props.channels.map((channel) => (
            <option value={channel.id}>{channel.name}</option>
          ))}
        </select>
      </label>
      <label>
        {t('filter_assignee')}
        <select value={draft.assignee ?? ''} onChange={set('assignee')}>
          <option value="">{t('filter_any')}</option>
          <option value="me">{t('assignee_me')}</option>
          <option value="none">{t('assignee_none')}</option>
        </select>
      </label>
      <label>
        {t('filter_from')}
        <input type="date" value={draft.from ?? ''} onInput={set('from')} />
      </label>
      <label>
        {t('filter_to')}
        <input type="date" value={draft.to ?? ''} onInput={set('to')} />
      </label>
      <div class="actions">
        <button type="submit">{t('filters_apply')}</button>
        <button type="button" class="secondary" onClick={() => props.onFilters({})}>
          {t('filters_clear')}
        </button>
        <a href={props.exportHref('csv')} download>
          {t('export_csv')}
        </a>
        <a href={props.exportHref('json')} download>
          {t('export_json')}
        </a>
      </div>
    </form>
  );
}
