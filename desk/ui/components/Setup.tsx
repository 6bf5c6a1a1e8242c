import { useState } from 'preact/hooks';
import { Password } from '../../api/contract';
import type { Action } from '../controllers';
import { useMessages } from '../i18n';
import { ErrorText, ScreenHeading } from './common';

export interface SetupProps {
  /** The one-time token from the link's fragment (never sent to the server in the URL). */
  token: string;
  needed: boolean | undefined;
  action: Action;
  onSetup: (email: string, password: string) => void;
  signInHref: string;
  onLink: (event: MouseEvent) => void;
}

export function Setup({ token, needed, action, onSetup, signInHref, onLink }: SetupProps) {
  const { t } = useMessages();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const link = (
    <a href={signInHref} onClick={onLink}>
      {t('goToSignIn')}
    </a>
  );
  return (
    <main id="main" class="narrow">
      <ScreenHeading title={t('setup_title')}>{t('setup_title')}</ScreenHeading>
      {needed === false ? (
        <p>
          {t('setup_notNeeded')} {link}
        </p>
      ) : !token ? (
        <p>{t('setup_noToken')}</p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onSetup(email, password);
          }}
        >
          <p>{t('setup_intro')}</p>
          <label>
            {t('email')}
            <input type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <label>
            {t('password')}
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={Password.minLength ?? undefined}
              aria-describedby="password-hint"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          <p id="password-hint" class="hint">
            {t('setup_passwordHint')}
          </p>
          <ErrorText failure={action.error} />
          <button type="submit" disabled={action.busy}>
            {t('setup_submit')}
          </button>
        </form>
      )}
    </main>
  );
}
