import { useState } from 'preact/hooks';
import type { z } from 'zod';
import type { ChannelSecret, ChannelSummary } from '../../api/contract';
import type { Action } from '../controllers';
import { useMessages } from '../i18n';
import { ErrorText, ScreenHeading } from './common';

type Summary = z.infer<typeof ChannelSummary>;
type Secret = z.infer<typeof ChannelSecret>;

export interface ChannelsProps {
  channels: readonly Summary[];
  /** The token just created or rotated: shown this once. */
  secret: Secret | undefined;
  /** An object URL for the provisioning file of `secret`. */
  provisioningHref: string | undefined;
  action: Action;
  onCreate: (name: string, signing: boolean) => Promise<boolean>;
  onRevoke: (channel: Summary) => void;
  onRotate: (channel: Summary) => void;
}

export function Channels({ channels, secret, provisioningHref, action, onCreate, onRevoke, onRotate }: ChannelsProps) {
  const { t, dateTime } = useMessages();
  const [name, setName] = useState('');
  const [signing, setSigning] = useState(false);
  return (
    <main id="main">
      <ScreenHeading title={t('channels_title')}>{t('channels_title')}</ScreenHeading>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void onCreate(name, signing).then((ok) => ok && setName(''));
        }}
      >
        <h2>{t('channel_create')}</h2>
        <label>
          {t('channel_name')}
          <input type="text" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={signing} onChange={(e) => setSigning(e.currentTarget.checked)} />
          {t('channel_signing')}
        </label>
        <button type="submit" disabled={action.busy}>
          {t('channel_create')}
        </button>
      </form>
      <ErrorText failure={action.error} />
      {secret && (
        <section class="secret" aria-labelledby="secret-heading" role="status">
          <h2 id="secret-heading">{t('channel_newSecret', secret.channel.name)}</h2>
          <p>{t('channel_secretOnce')}</p>
          <dl class="facts">
            <dt>{t('channel_endpoint')}</dt>
            <dd>
              <code>{secret.channel.endpoint}</code>
            </dd>
            <dt>{t('channel_token')}</dt>
            <dd>
              <code data-testid="channel-token">{secret.token}</code>
            </dd>
            {secret.signingSecret && (
              <>
                <dt>{t('channel_secret')}</dt>
                <dd>
                  <code>{secret.signingSecret}</code>
                </dd>
              </>
            )}
          </dl>
          {provisioningHref && (
            <a href={provisioningHref} download={`flagline-${secret.channel.id}.json`}>
              {t('channel_provisioning')}
            </a>
          )}
        </section>
      )}
      <table>
        <caption>{t('channels_title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('channel_name')}</th>
            <th scope="col">{t('channel_endpoint')}</th>
            <th scope="col">{t('channel_state')}</th>
            <th scope="col">{t('channel_reports')}</th>
            <th scope="col">{t('channel_created')}</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((channel) => (
            <tr key={channel.id}>
              <th scope="row">{channel.name}</th>
              <td>
                <code>{channel.endpoint}</code>
              </td>
              <td>
                {channel.revokedAt ? t('channel_revoked') : t('channel_active')}
                {!channel.revokedAt && (
                  <>
                    {' '}
                    <button type="button" class="secondary" disabled={action.busy} onClick={() => onRotate(channel)}>
                      {t('channel_rotate', channel.name)}
                    </button>{' '}
                    <button type="button" class="danger" disabled={action.busy} onClick={() => onRevoke(channel)}>
                      {t('channel_revoke', channel.name)}
                    </button>
                  </>
                )}
              </td>
              <td>{channel.reportCount}</td>
              <td>{dateTime(channel.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
