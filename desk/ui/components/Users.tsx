import { useState } from 'preact/hooks';
import { Password, type Role, type UserSummary } from '../../api/contract';
import type { Action } from '../controllers';
import { useMessages } from '../i18n';
import { ErrorText, ScreenHeading, StatusText } from './common';

export interface UsersProps {
  users: readonly UserSummary[];
  channels: ReadonlyArray<{ id: string; name: string }>;
  action: Action;
  onCreate: (email: string, role: Role, password: string) => Promise<boolean>;
  onUpdate: (userId: string, change: { role?: Role; disabled?: boolean; channelIds?: string[] }) => void;
}

export function Users({ users, channels, action, onCreate, onUpdate }: UsersProps) {
  const { t, dateTime } = useMessages();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('reviewer');
  const [password, setPassword] = useState('');
  return (
    <main id="main">
      <ScreenHeading title={t('users_title')}>{t('users_title')}</ScreenHeading>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void onCreate(email, role, password).then((ok) => {
            if (ok) {
              setEmail('');
              setPassword('');
            }
          });
        }}
      >
        <h2>{t('user_create')}</h2>
        <label>
          {t('email')}
          <input type="email" required autoComplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          {t('role')}
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            <option value="reviewer">{t('role_reviewer')}</option>
            <option value="admin">{t('role_admin')}</option>
          </select>
        </label>
        <label>
          {t('password')}
          <input
            type="password"
            required
            autoComplete="new-password"
            minLength={Password.minLength ?? undefined}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={action.busy}>
          {t('user_create')}
        </button>
      </form>
      <ErrorText failure={action.error} />
      {action.done && <StatusText>{t('user_saved')}</StatusText>}
      <table>
        <caption>{t('users_title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('email')}</th>
            <th scope="col">{t('role')}</th>
            <th scope="col">{t('user_state')}</th>
            <th scope="col">{t('user_channels')}</th>
            <th scope="col">{t('user_lastSignIn')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row">{user.email}</th>
              <td>
                <select
                  aria-label={t('user_roleOf', user.email)}
                  value={user.role}
                  onChange={(e) => onUpdate(user.id, { role: e.currentTarget.value as Role })}
                >
                  <option value="reviewer">{t('role_reviewer')}</option>
                  <option value="admin">{t('role_admin')}</option>
                </select>
              </td>
              <td>
                {user.disabled ? t('user_disabled') : t('user_active')}{' '}
                <button type="button" class="secondary" onClick={() => onUpdate(user.id, { disabled: !user.disabled })}>
                  {user.disabled ? t('user_enable', user.email) : t('user_disable', user.email)}
                </button>
              </td>
              <td>
                <ChannelPicker user={user} channels={channels} onSave={(channelIds) => onUpdate(user.id, { channelIds })} />
              </td>
              <td>{user.lastSignInAt ? dateTime(user.lastSignInAt) : t('never')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

function ChannelPicker({
  user,
  channels,
  onSave,
}: {
  user: UserSummary;
  channels: ReadonlyArray<{ id: string; name: string }>;
  onSave: (ids: string[]) => void;
}) {
  const { t } = useMessages();
  const [ids, setIds] = useState(user.channelIds);
  return (
    <fieldset>
      <legend>{t('user_channelsOf', user.email)}</legend>
      {ids.length === 0 && <p class="hint">{t('user_allChannels')}</p>}
      {channels.map((channel) => (
        <label class="check" key={channel.id}>
          <input
            type="checkbox"
            checked={ids.includes(channel.id)}
            onChange={(e) => setIds(e.currentTarget.checked ? [...ids, channel.id] : ids.filter((id) => id !== channel.id))}
          />
          {channel.name}
        </label>
      ))}
      <button type="button" class="secondary" onClick={() => onSave(ids)}>
        {t('user_saveChannels', user.email)}
      </button>
    </fieldset>
  );
}
