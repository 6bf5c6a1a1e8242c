import { useEffect, useRef, useState } from 'preact/hooks';
import { categoryLabel, findCategory, type CategoryDef } from '@/utils/categories';
import { useT } from '@/utils/ui/i18n';
import { useVirtualList } from '@/utils/ui/virtual';
import { reviewStatusText } from '@/utils/status/words';
import { deliveryStateKey, type WorkspaceRow } from '@/utils/workspace/rows';

export const ROW_HEIGHT = 76;

interface Props {
  rows: readonly WorkspaceRow[];
  categories: readonly CategoryDef[];
  selected: ReadonlySet<string>;
  duplicates: ReadonlyMap<string, string[]>;
  formatTime: (epochMs: number) => string;
  onToggle: (id: string, checked: boolean) => void;
  onOpen: (id: string) => void;
  /** A hand-off channel's name (issue 16). */
  channelName?: (id: string) => string;
  /** No endpoint is set: held reports are shown as kept here. */
  noEndpoint?: boolean;
  /** An object URL of the report's crop (or screenshot), loaded only for rows in view. */
  loadThumbnail?: (id: string) => Promise<string | undefined>;
}

/** Thumbnail of a row's captured image; decorative (the row says what it is), blurred for minors. */
export function RowThumb({ id, blurred, load, title }: { id: string; blurred: boolean; load?: (id: string) => Promise<string | undefined>; title: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    setSrc(undefined);
    void load?.(id).then((url) => live && setSrc(url));
    return () => {
      live = false;
    };
  }, [id, load]);
  return (
    <div class={`ws-thumb${blurred ? ' blurred' : ''}`} aria-hidden="true" title={title}>
      {src && <img src={src} alt="" data-testid="row-thumb" />}
    </div>
  );
}

/** The virtualised list of reports: only rows in view are rendered. */
export function ReportList({ rows, categories, selected, duplicates, formatTime, onToggle, onOpen, loadThumbnail, channelName, noEndpoint = false }: Props) {
  const t = useT();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualList({ count: rows.length, rowHeight: ROW_HEIGHT, getScrollElement: () => scrollRef.current });
  return (
    <div ref={scrollRef} class="ws-scroll" data-testid="report-list">
      <ul class="ws-list" aria-label={t('workspace_list_label')} style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          const category = findCategory(categories, row.category);
          const titleText = row.title || row.url;
          const excerpt = row.explanation.length > 160 ? `${row.explanation.slice(0, 160)}…` : row.explanation;
          return (
            <li
              key={row.id}
              class="ws-row"
              data-id={row.id}
              data-state={row.status}
              aria-setsize={rows.length}
              aria-posinset={item.index + 1}
              style={{ transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}
            >
              <input
                type="checkbox"
                id={`sel-${row.id}`}
                checked={selected.has(row.id)}
                aria-label={t('workspace_select_row', titleText)}
                onChange={(event) => onToggle(row.id, event.currentTarget.checked)}
              />
              <RowThumb
                id={row.id}
                blurred={!!category?.blurPreviews}
                {...(row.hasImage && loadThumbnail ? { load: loadThumbnail } : {})}
                title={t(category?.blurPreviews ? 'workspace_thumb_blurred' : 'workspace_thumb_none')}
              />
              <div class="ws-main">
                <div class="ws-line">
                  <span class={`ws-state state-${row.status}`}>{t(deliveryStateKey(row.status, noEndpoint))}</span>
                  {row.review && (
                    <span class="ws-review" data-review-state={row.review.state}>
                      {reviewStatusText(t, row.review)}
                    </span>
                  )}
                  <span class="ws-category">{category ? categoryLabel(t, category) : row.category}</span>
                  <span class="ws-site">{row.site}</span>
                  <time dateTime={new Date(row.createdAt).toISOString()}>{formatTime(row.createdAt)}</time>
                  {duplicates.has(row.id) && <span class="ws-dup">{t('workspace_row_duplicate')}</span>}
                  {row.handoffs && (
                    <span class="ws-handoff">
                      {t('handoff_history')}: {row.handoffs.map((id) => channelName?.(id) ?? id).join(', ')}
                    </span>
                  )}
                </div>
                <div class="ws-title">{titleText}</div>
                <div class="ws-excerpt">{excerpt}</div>
              </div>
              <button type="button" class="ws-open" aria-label={`${t('workspace_row_open')}: ${titleText}`} onClick={() => onOpen(row.id)}>
                {t('workspace_row_open')}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
