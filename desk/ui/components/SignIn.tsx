import { useState } from 'preact/hooks';
import type { Action } from '../controllers';
import { useMessages } from '../i18n';
import { ErrorText, ScreenHeading, failureText } from './common';

export interface SignInProps {
  action: Action;
  onSignIn: (email: string, password: string) => void;
}

export function SignIn({ action, onSignIn }: SignInProps) {
  const messages = useMessages();
  const { t } = messages;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // A wrong password answers 401: say so in words, not "session ended".
  const error = action.error && (action.error.code === 'unauthenticated' ? t('signIn_wrong') : failureText(messages, action.error));
  return (
    <main id="main" class="narrow">
      <ScreenHeading title={t('signIn')}>{t('signIn_title')}</ScreenHeading>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSignIn(email, password);
        }}
      >
        <label>
          {t('email')}
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          {t('password')}
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && <ErrorText text={error} />}
        <button type="submit" disabled={action.busy}>
          {t('signIn')}
        </button>
      </form>
    </main>
  );
}
