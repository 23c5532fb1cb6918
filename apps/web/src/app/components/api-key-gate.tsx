import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './fields';
import { ErrorMessage } from './messages';

export interface ConsoleSession {
  apiKey: string;
  signOut(): void;
}

type Check = 'ok' | 'invalid' | 'forbidden' | 'unreachable';

/**
 * The consoles' login: the operator pastes an API key once (issued with `trieste apikeys create`,
 * or the demo admin key `npm start` prints). It is kept in sessionStorage — this tab only, gone
 * when the tab closes, never a cookie, never sent anywhere but this origin's API as a Bearer header.
 * The key is checked with a request that has no side effect before it is kept.
 */
export function ApiKeyGate({
  storageKey,
  role,
  check,
  children,
}: {
  storageKey: string;
  /** The role the key needs, as the interface names it (registrar, verifier). */
  role: string;
  check: (apiKey: string) => Promise<Check>;
  children: (session: ConsoleSession) => ReactNode;
}) {
  const { t } = useTranslation('consoles');
  const [apiKey, setApiKey] = useState<string | null>(() => readKey(storageKey));
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Check | 'empty' | null>(null);

  if (apiKey) {
    const signOut = () => {
      try {
        sessionStorage.removeItem(storageKey);
      } catch {
        // Nothing kept: nothing to remove.
      }
      setApiKey(null);
      setDraft('');
    };
    return (
      <>
        <div className="session no-print">
          <p>
            {t('apiKey.signedIn', { id: keyId(apiKey) })}{' '}
            <button type="button" className="link-button" onClick={signOut}>
              {t('apiKey.signOut')}
            </button>
          </p>
        </div>
        {children({ apiKey, signOut })}
      </>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const key = draft.trim();
    if (!key) {
      setProblem('empty');
      return;
    }
    setBusy(true);
    setProblem(null);
    const outcome = await check(key);
    setBusy(false);
    if (outcome !== 'ok') {
      setProblem(outcome);
      return;
    }
    try {
      sessionStorage.setItem(storageKey, key);
    } catch {
      // Storage refused: the key holds for this page only.
    }
    setApiKey(key);
  };

  return (
    <form className="panel api-key-form" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t('apiKey.heading')}</h2>
      <p>{t('apiKey.intro', { role })}</p>
      {problem && problem !== 'empty' ? (
        <ErrorMessage title={t(`apiKey.${problem}`, { role })} focus />
      ) : null}
      <TextField
        label={t('apiKey.label')}
        hint={t('apiKey.hint')}
        type="password"
        autoComplete="off"
        spellCheck={false}
        className="mono"
        value={draft}
        required
        error={problem === 'empty' ? t('apiKey.empty') : undefined}
        onChange={(event) => setDraft(event.target.value)}
      />
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('apiKey.checking') : t('apiKey.signIn')}
        </button>
      </div>
    </form>
  );
}

function readKey(storageKey: string): string | null {
  try {
    return sessionStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

/** The public part of `trieste.<id>.<secret>`: enough to say which key is in use. */
function keyId(apiKey: string): string {
  const [, id] = apiKey.split('.');
  return id ? `trieste.${id}.…` : '…';
}
