import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { EMPTY_FILTERS, filterRows, toRowFilter, type FilterValues, type WorkspaceRow } from '../workspace/rows';

/**
 * What the workspace shows and which of it is selected: the filters, the rows they leave
 * visible, and the selection, which keeps only reports that still exist. Actions take the
 * selected reports that are visible (`selectedIds`). A filter's update is measured for
 * `npm run bench` (`flagline:workspace-filter`).
 */
export function useWorkspaceSelection(rows: WorkspaceRow[] | undefined, allRows: WorkspaceRow[] | undefined) {
  const [filters, setFilterValues] = useState<FilterValues>(EMPTY_FILTERS);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const filterStarted = useRef<number>();

  const visible = useMemo(() => filterRows(rows ?? [], toRowFilter(filters)), [rows, filters]);
  const byId = useMemo(() => new Map((rows ?? []).map((r) => [r.id, r])), [rows]);

  useEffect(() => {
    if (filterStarted.current === undefined) return;
    performance.measure('flagline:workspace-filter', { start: filterStarted.current, end: performance.now() });
    filterStarted.current = undefined;
  }, [visible]);

  // Selection keeps only reports that still exist.
  useEffect(() => {
    if (!allRows) return;
    const present = [...selected].filter((id) => byId.has(id));
    if (present.length !== selected.size) setSelected(new Set(present));
  }, [allRows]);

  const setFilters = (next: FilterValues) => {
    filterStarted.current = performance.now();
    setFilterValues(next);
  };
  const toggle = (id: string, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  /** Checked: adds every visible report to the selection; unchecked: clears it. */
  const selectAllVisible = (checked: boolean) => setSelected(checked ? new Set([...selected, ...visible.map((r) => r.id)]) : new Set());
  const selectedIds = () => visible.filter((r) => selected.has(r.id)).map((r) => r.id);
  const allVisibleSelected = visible.length > 0 && visible.every((r) => selected.has(r.id));

  return { filters, setFilters, visible, byId, selected, toggle, selectAllVisible, selectedIds, allVisibleSelected };
}
