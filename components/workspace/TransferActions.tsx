import { useT } from '@/utils/ui/i18n';
import type { ExportFormat } from '@/utils/ui/workspace-transfer';

interface Props {
  onExport: (format: ExportFormat) => void;
  /** Settles once the file is read and applied (or refused); the file input is cleared then. */
  onImport: (file: File) => Promise<void>;
}

/** Export the selection (or what the filters show) as JSON, CSV or a ZIP bundle; import a file. */
export function TransferActions({ onExport, onImport }: Props) {
  const t = useT();
  return (
    <section class="ws-transfer" aria-labelledby="ws-transfer-heading">
      <h2 id="ws-transfer-heading">{t('workspace_export_heading')}</h2>
      <p class="hint">{t('workspace_export_hint')}</p>
      <div class="ws-actions">
        <button type="button" onClick={() => onExport('json')}>
          {t('workspace_export_json')}
        </button>
        <button type="button" onClick={() => onExport('csv')}>
          {t('workspace_export_csv')}
        </button>
        <button type="button" onClick={() => onExport('zip')}>
          {t('workspace_export_zip')}
        </button>
        <label class="ws-import">
          <span>{t('workspace_import')}</span>
          <input
            type="file"
            accept=".json,.zip,application/json,application/zip"
            onChange={(event) => {
              const input = event.currentTarget;
              const file = input.files?.[0];
              if (!file) return;
              void onImport(file).finally(() => {
                input.value = '';
              });
            }}
          />
        </label>
      </div>
    </section>
  );
}
