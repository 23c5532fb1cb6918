import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, StatusMessage } from '../../app/components/messages';
import { ClaimList } from '../components/claim-list';
import { credentialName, formatDate, issuerName } from '../display';
import { type StoredCredential, walletStore } from '../lib/wallet-db';
import { walletErrorCode } from '../lib/wallet-error';
import { useCredentials } from '../use-wallet';
import { WalletLink, walletPath } from '../wallet-link';

/** The credentials on this device, each with its issuer, dates and (on demand) its claims. */
export function CredentialsView() {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const { credentials, problem, reload } = useCredentials();
  const [removed, setRemoved] = useState(false);
  const [failure, setFailure] = useState<string>();

  const remove = async (credential: StoredCredential, name: string) => {
    if (!window.confirm(t('credentials.removeConfirm', { name }))) return;
    try {
      await walletStore.deleteCredential(credential.id);
      setRemoved(true);
      reload();
    } catch (error) {
      setFailure(walletErrorCode(error));
    }
  };

  return (
    <section aria-labelledby="wallet-credentials">
      <h2 id="wallet-credentials">{t('credentials.heading')}</h2>
      {problem ? <ErrorMessage title={t(`errors.${problem}`)} /> : null}
      {failure ? <ErrorMessage title={t(`errors.${failure}`)} /> : null}
      {removed ? <StatusMessage tone="success">{t('credentials.removed')}</StatusMessage> : null}
      {credentials === undefined ? null : credentials.length === 0 ? (
        <>
          <p>{t('credentials.empty')}</p>
          <p>
            <WalletLink to={walletPath('receive')}>{t('credentials.receiveFirst')}</WalletLink>
          </p>
        </>
      ) : (
        <>
          <p>{t('credentials.count', { count: credentials.length })}</p>
          <ul className="card-list wallet-cards">
            {credentials.map((credential) => {
              const name = credentialName(credential.display, credential.vct, language);
              return (
                <li key={credential.id} className="card wallet-card">
                  <h3>{name}</h3>
                  <dl className="record">
                    <dt>{t('credentials.issuedBy')}</dt>
                    <dd>
                      <bdi>{issuerName(credential.display, credential.issuer, language)}</bdi>
                    </dd>
                    <dt>{t('credentials.received')}</dt>
                    <dd>{formatDate(credential.receivedAt, language)}</dd>
                    {credential.expiresAt !== undefined ? (
                      <>
                        <dt>{t('credentials.expires')}</dt>
                        <dd>{formatDate(credential.expiresAt, language)}</dd>
                      </>
                    ) : null}
                  </dl>
                  <details>
                    <summary>{t('credentials.details', { name })}</summary>
                    <ClaimList claims={credential.claims} display={credential.display} />
                  </details>
                  <div className="actions">
                    <button
                      type="button"
                      className="button button--secondary"
                      onClick={() => void remove(credential, name)}
                    >
                      {t('credentials.remove', { name })}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
