import { useEffect, useState } from 'preact/hooks';
import type { ReportDetail } from './ReportDetail';
import type { CategoryDef } from '@/utils/categories';
import type { DetailData } from '@/utils/ui/workspace-detail';

// The detail view loads on first use, off the page's start-up path (`workspace.render10kMs`).
const detailView = () => import('./ReportDetail');

interface Props {
  /** The open report, once read. */
  data: DetailData | undefined;
  categories: readonly CategoryDef[];
  formatTime: (ms: number) => string;
  onSave: Parameters<typeof ReportDetail>[0]['onSave'];
  onClose: () => void;
  onHandoff?: () => void;
  noEndpoint?: boolean;
}

/** The open report's detail view, shown once both its data and the view's code are loaded. */
export function DetailPanel({ data, categories, formatTime, onSave, onClose, onHandoff, noEndpoint = false }: Props) {
  const [Detail, setDetail] = useState<typeof ReportDetail>();
  useEffect(() => {
    void detailView().then((module) => setDetail(() => module.ReportDetail));
  }, []);
  if (!data || !Detail) return null;
  return (
    <Detail
      record={data.record}
      ledger={data.ledger}
      artifacts={data.artifacts}
      {...(data.capturedText === undefined ? {} : { capturedText: data.capturedText })}
      categories={categories}
      formatTime={formatTime}
      onSave={onSave}
      onClose={onClose}
      {...(onHandoff ? { onHandoff } : {})}
      noEndpoint={noEndpoint}
    />
  );
}
