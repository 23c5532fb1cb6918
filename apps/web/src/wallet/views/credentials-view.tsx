import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, StatusMessage } from '../../app/components/messages';
import { ClaimList } from '../components/claim-list';
import { credentialName, formatDate, issuerName } from '../display';
import { type AgePoolSummary, agePools, isUsable, topUpPlan } from '../lib/age-pool';
import { canAskForAccesses } from '../lib/record-accesses';
import { topUpAgeCredentials } from '../lib/top-up-age';
import { type StoredCredential, walletClock, walletStore } from '../lib/wallet-db';
import { walletErrorCode } from '../lib/wallet-error';
import { useCredentials, useOnline } from '../use-wallet';
import { WalletLink, walletPath } from '../wallet-link';

/** A credential the registry of this page accepts as proof of the holder's record. */
const canProve = (c: StoredCredential) => canAskForAccesses(c, window.location.origin);

/** The credentials on this device, each with its issuer, dates and (on demand) its claims. */
export function CredentialsView() {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const { credentials, problem, reload } = useCredentials();
  const [removed, setRemoved] = useState(false);
  const [failure, setFailure] = useState<string>();
  const online = useOnline();
  const [topUp, setTopUp] = useState<{ state: 'running' } | { state: 'done'; count: number }>();
  const [declined, setDeclined] = useState(false);
  const now = walletClock.now();
  const pools = credentials ? agePools(credentials, now) : [];
  const plain = credentials?.filter((c) => c.singleUse !== true) ?? [];
  // Fewer than three proofs of age left: offer to get a new batch from the registry. Getting one
  // shows the national identity credential to its issuer, so it happens only when the holder says
  // so; "Not now" holds for this visit.
  const plan =
    credentials && online && !declined && topUp === undefined
      ? topUpPlan(credentials, now, canProve)
      : undefined;

  const runTopUp = (chosen: NonNullable<typeof plan>) => {
    if (!credentials) return;
    setTopUp({ state: 'running' });
    void (async () => {
      try {
        const fresh = await topUpAgeCredentials(chosen.identity);
        for (const c of fresh) await walletStore.putCredential(c);
        // The used and expired ones were only kept to know a pool existed: the new batch replaces them.
        const now = walletClock.now();
        for (const c of credentials)
          if (c.singleUse && c.issuer === chosen.issuer && !isUsable(c, now))
            await walletStore.deleteCredential(c.id);
        setTopUp({ state: 'done', count: fresh.length });
      } catch (error) {
        setTopUp(undefined);
        setFailure(walletErrorCode(error));
      }
      reload();
    })();
  };

  const removePool = async (pool: AgePoolSummary, name: string) => {
    if (!window.confirm(t('credentials.removeConfirm', { name }))) return;
    try {
      for (const c of pool.all) await walletStore.deleteCredential(c.id);
      setRemoved(true);
      reload();
    } catch (error) {
      setFailure(walletErrorCode(error));
    }
  };

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
      {topUp?.state === 'running' ? <StatusMessage>{t('age.toppingUp')}</StatusMessage> : null}
      {topUp?.state === 'done' ? (
        <StatusMessage tone="success">{t('age.toppedUp', { count: topUp.count })}</StatusMessage>
      ) : null}
      {plan ? (
        <section className="card" aria-labelledby="wallet-top-up">
          <h3 id="wallet-top-up">{t('age.topUpTitle')}</h3>
          <p>
            {t('age.topUpExplain', {
              issuer: issuerName(plan.identity.display, plan.issuer, language),
            })}
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={() => runTopUp(plan)}>
              {t('age.topUpAccept')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setDeclined(true)}>
              {t('age.topUpDecline')}
            </button>
          </div>
        </section>
      ) : null}
      {credentials === undefined ? null : credentials.length === 0 ? (
        <>
          <p>{t('credentials.empty')}</p>
          <p>
            <WalletLink to={walletPath('receive')}>{t('credentials.receiveFirst')}</WalletLink>
          </p>
        </>
      ) : (
        <>
          <p>{t('credentials.count', { count: plain.length + pools.length })}</p>
          <ul className="card-list wallet-cards">
            {pools.map((pool) => {
              const shown = pool.sample ?? pool.all[0]!;
              const name = credentialName(shown.display, pool.vct, language);
              return (
                <li key={`${pool.issuer} ${pool.vct}`} className="card wallet-card">
                  <h3>{name}</h3>
                  <p className="wallet-card__left">
                    <strong>{t('age.left', { count: pool.left })}</strong>
                  </p>
                  <p className="field__hint">{t('age.singleUse')}</p>
                  <dl className="record">
                    <dt>{t('credentials.issuedBy')}</dt>
                    <dd>
                      <bdi>{issuerName(shown.display, pool.issuer, language)}</bdi>
                    </dd>
                    {pool.sample?.expiresAt !== undefined ? (
                      <>
                        <dt>{t('credentials.expires')}</dt>
                        <dd>{formatDate(pool.sample.expiresAt, language)}</dd>
                      </>
                    ) : null}
                  </dl>
                  {pool.sample ? (
                    <details>
                      <summary>{t('credentials.details', { name })}</summary>
                      <ClaimList claims={pool.sample.claims} display={pool.sample.display} />
                    </details>
                  ) : null}
                  <div className="actions">
                    <button
                      type="button"
                      className="button button--secondary"
                      onClick={() => void removePool(pool, name)}
                    >
                      {t('credentials.remove', { name })}
                    </button>
                  </div>
                </li>
              );
            })}
            {plain.map((credential) => {
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
