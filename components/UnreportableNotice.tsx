import type { MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/ui/i18n';
import type { UnreportableReason } from '@/utils/schema/messages';

const EXPLANATIONS: Record<UnreportableReason, MessageKey> = {
  'browser-page': 'unreportable_browserPage',
  'extension-store': 'unreportable_extensionStore',
  'file-access': 'unreportable_fileAccess',
  'file-blocked': 'unreportable_fileBlocked',
  'no-access': 'unreportable_noAccess',
  'no-tab': 'unreportable_noTab',
};

export function UnreportableNotice({ reason }: { reason: UnreportableReason }) {
  const t = useT();
  return (
    <section class="notice" role="status" aria-labelledby="unreportable-heading">
      <h2 id="unreportable-heading">{t('unreportable_heading')}</h2>
      <p>{t(EXPLANATIONS[reason])}</p>
    </section>
  );
}
