import type { Channel } from '@/utils/schema/channel-catalogue';
import { useT } from '@/utils/ui/i18n';

interface Props {
  emailChannels: readonly Channel[];
  language: 'zh_CN' | 'en';
  selectedCount: number;
  /** Hands the selection to one channel, the companion stepping through it (absent in tests). */
  onHandoff?: () => void;
  onPacket: (channel: Channel) => void;
}

/** The workspace's hand-off for volunteers (issue 16): a selection in sequence, or one packet per email channel. */
export function HandoffActions({ emailChannels, language, selectedCount, onHandoff, onPacket }: Props) {
  const t = useT();
  return (
    <section class="ws-handoff-actions" aria-labelledby="ws-handoff-heading">
      <h2 id="ws-handoff-heading">{t('handoff_title')}</h2>
      {onHandoff && (
        <p>
          <button type="button" disabled={selectedCount === 0} onClick={onHandoff}>
            {t('handoff_bulk')}
          </button>
        </p>
      )}
      {emailChannels.length > 0 && (
        <>
          <p class="hint" id="ws-packet-hint">
            {t('handoff_packetHint')}
          </p>
          <p>
            {emailChannels.map((channel) => (
              <button key={channel.id} type="button" aria-describedby="ws-packet-hint" onClick={() => onPacket(channel)}>
                {t('handoff_packet', channel.name[language])}
              </button>
            ))}
          </p>
        </>
      )}
    </section>
  );
}
