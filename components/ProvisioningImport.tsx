import { useRef, useState } from 'preact/hooks';
import type { MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/ui/i18n';
import { SETTING_LABELS, type ParseResult, type PreviewRow, type ProvisioningError, type ProvisioningFile } from '@/utils/provisioning';

interface Props {
  /** Organisation that fixes settings, for "kept: set by …". */
  organizationName?: string;
  readFile: (file: File) => Promise<ParseResult>;
  readUrl: (url: string) => Promise<ParseResult>;
  preview: (file: ProvisioningFile) => PreviewRow[];
  apply: (file: ProvisioningFile) => Promise<{ ok: boolean }>;
}

/**
 * Importing a school's configuration file (or link): parse, show exactly what would change,
 * apply only on "Apply". A bad file changes nothing and says why.
 */
export function ProvisioningImport({ organizationName, readFile, readUrl, preview, apply }: Props) {
  const t = useT();
  const [url, setUrl] = useState('');
  const [pending, setPending] = useState<ProvisioningFile>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);

  const describe = (problem: ProvisioningError): string => {
    switch (problem.key) {
      case 'policy_provision_error_value':
        return t(problem.key, [
          t(SETTING_LABELS[problem.setting as keyof typeof SETTING_LABELS] ?? 'policy_setting_unknown'),
          t(problem.message as MessageKey),
        ]);
      case 'policy_provision_error_fetch':
        return t(problem.key, problem.detail);
      default:
        return t(problem.key);
    }
  };

  const take = (result: ParseResult) => {
    setStatus(undefined);
    if (result.ok) {
      setError(undefined);
      setPending(result.file);
    } else {
      setPending(undefined);
      setError(describe(result.error));
    }
  };

  const rows = pending ? preview(pending) : [];
  const setBy = organizationName ? t('policy_setBy', organizationName) : t('policy_setByOrganization');

  return (
    <section class="provisioning" aria-labelledby="provision-heading">
      <h2 id="provision-heading">{t('policy_provision_heading')}</h2>
      <p class="hint">{t('policy_provision_explain')}</p>
      <div class="field">
        <label for="provision-file">{t('policy_provision_fileLabel')}</label>
        <input
          id="provision-file"
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            if (file) take(await readFile(file));
          }}
        />
      </div>
      <div class="field">
        <label for="provision-url">{t('policy_provision_urlLabel')}</label>
        <div class="inline">
          <input
            id="provision-url"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <button type="button" onClick={async () => take(await readUrl(url))}>
            {t('policy_provision_load')}
          </button>
        </div>
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {pending && (
        <div class="provision-preview">
          <h3 id="provision-preview-heading">
            {pending.organizationName ? t('policy_provision_previewFrom', pending.organizationName) : t('policy_provision_preview')}
          </h3>
          <table aria-labelledby="provision-preview-heading">
            <thead>
              <tr>
                <th scope="col">{t('policy_provision_colSetting')}</th>
                <th scope="col">{t('policy_provision_colCurrent')}</th>
                <th scope="col">{t('policy_provision_colNew')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-status={row.status}>
                  <th scope="row">{t(SETTING_LABELS[row.key])}</th>
                  <td>{row.current}</td>
                  <td>{row.status === 'kept' ? t('policy_provision_kept', setBy) : row.status === 'same' ? t('policy_provision_same') : row.next}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="inline">
            <button
              type="button"
              class="primary"
              onClick={async () => {
                const result = await apply(pending);
                setPending(undefined);
                if (fileInput.current) fileInput.current.value = '';
                if (result.ok) setStatus(t('policy_provision_applied'));
                else setError(t('policy_provision_error_apply'));
              }}
            >
              {t('policy_provision_apply')}
            </button>
            <button
              type="button"
              onClick={() => {
                setPending(undefined);
                if (fileInput.current) fileInput.current.value = '';
                setStatus(t('policy_provision_cancelled'));
              }}
            >
              {t('policy_provision_cancel')}
            </button>
          </div>
        </div>
      )}
      {/* A polite live region (not a second role="status": the settings form owns that one). */}
      <p aria-live="polite" class="form-ok" data-testid="provision-status">
        {status ?? ''}
      </p>
    </section>
  );
}
