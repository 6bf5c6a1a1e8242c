import { useState } from 'preact/hooks';
import type { ReportView } from '../../api/contract';
import type { Action } from '../controllers';
import { useMessages } from '../i18n';
import { ErrorText, StatusText } from './common';

export interface OtherCluster {
  clusterId: string;
  title: string;
  size: number;
}

export interface ClusterPanelProps {
  view: ReportView;
  /** Clusters the reviewer can merge into this one (from the queue page they came from). */
  others: readonly OtherCluster[];
  action: Action;
  onMerge: (clusterIds: string[]) => void;
  onSplit: () => void;
  reportHref: (id: string) => string;
  onLink: (event: MouseEvent) => void;
}

export function ClusterPanel({ view, others, action, onMerge, onSplit, reportHref, onLink }: ClusterPanelProps) {
  const { t, dateTime } = useMessages();
  const [selected, setSelected] = useState<string[]>([]);
  const { cluster } = view;
  return (
    <section aria-labelledby="cluster-heading">
      <h2 id="cluster-heading">{t('cluster_title', cluster.size)}</h2>
      {cluster.size <= 1 ? (
        <p>{t('cluster_alone')}</p>
      ) : (
        <>
          <ul class="cluster">
            {cluster.reports.map((row) => (
              <li key={row.id}>
                {row.id === view.id ? (
                  <span>
                    {row.title || t('untitled')} {t('cluster_current')}
                  </span>
                ) : (
                  <a href={reportHref(row.id)} onClick={onLink}>
                    {row.title || t('untitled')}
                  </a>
                )}{' '}
                · {row.channelName} · <time dateTime={row.receivedAt}>{dateTime(row.receivedAt)}</time>
              </li>
            ))}
          </ul>
          <button type="button" class="secondary" disabled={action.busy} onClick={onSplit}>
            {t('cluster_split')}
          </button>
        </>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (selected.length > 0) onMerge([cluster.id, ...selected]);
        }}
      >
        <fieldset>
          <legend>{t('cluster_mergeTitle')}</legend>
          {others.length === 0 ? (
            <p class="hint">{t('cluster_mergeNone')}</p>
          ) : (
            <>
              <p class="hint">{t('cluster_mergeHint')}</p>
              {others.map((other) => (
                <label class="check" key={other.clusterId}>
                  <input
                    type="checkbox"
                    checked={selected.includes(other.clusterId)}
                    onChange={(e) => setSelected(e.currentTarget.checked ? [...selected, other.clusterId] : selected.filter((id) => id !== other.clusterId))}
                  />
                  {t('cluster_select', other.title || t('untitled'), other.size)}
                </label>
              ))}
              <button type="submit" disabled={action.busy || selected.length === 0}>
                {t('cluster_merge')}
              </button>
            </>
          )}
        </fieldset>
      </form>
      <ErrorText failure={action.error} />
      {action.done && <StatusText>{t('cluster_done')}</StatusText>}
    </section>
  );
}
