import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../app/components/messages';
import { formatTime } from '../display';
import { type ConsentReceipt, walletStore } from '../lib/wallet-db';
import { type WalletErrorCode, walletErrorCode } from '../lib/wallet-error';
import { RecordAccessesSection } from './record-accesses';

/**
 * The holder's history: a consent receipt for every answer (to whom, when, why, which claims, the
 * outcome), and the official accesses to their registry record, read from the registry on demand
 * with the national identity credential (record-accesses.tsx).
 */
export function HistoryView() {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [receipts, setReceipts] = useState<ConsentReceipt[]>();
  const [problem, setProblem] = useState<WalletErrorCode>();

  useEffect(() => {
    walletStore.receipts().then(setReceipts, (error: unknown) => {
      setReceipts([]);
      setProblem(walletErrorCode(error));
    });
  }, []);

  const audience = (receipt: ConsentReceipt) => {
    if (receipt.kind === 'offline') {
      const code = receipt.audience.slice('offline:'.length);
      return code === 'any' ? t('offlineQr.anyVerifier') : code;
    }
    return receipt.verifierName ?? t('present.unnamed');
  };

  return (
    <>
      <section aria-labelledby="wallet-receipts">
        <h2 id="wallet-receipts">{t('history.receipts')}</h2>
        <p>{t('history.receiptsIntro')}</p>
        {problem ? <ErrorMessage title={t(`errors.${problem}`)} /> : null}
        {receipts === undefined ? null : receipts.length === 0 ? (
          <p>{t('history.noReceipts')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t('history.receipts')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('history.when')}</th>
                  <th scope="col">{t('history.to')}</th>
                  <th scope="col">{t('history.purpose')}</th>
                  <th scope="col">{t('history.claims')}</th>
                  <th scope="col">{t('history.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {receipts.map((receipt) => (
                  <tr key={receipt.id}>
                    <td>{formatTime(receipt.at, language)}</td>
                    <td>
                      <bdi>{audience(receipt)}</bdi>
                      <br />
                      <span className="field__hint">{t(`history.kind.${receipt.kind}`)}</span>
                    </td>
                    <td>{receipt.purpose ? <bdi>{receipt.purpose}</bdi> : '—'}</td>
                    <td>
                      {receipt.claims.length === 0 ? (
                        t('history.nothing')
                      ) : (
                        <ul className="plain-list">
                          {receipt.claims.map((claim) => (
                            <li key={`${claim.credentialId}:${claim.path.join('/')}`}>{claim.label}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      {t(`history.result.${receipt.outcome}`)}
                      {receipt.code ? ` (${receipt.code})` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RecordAccessesSection />
    </>
  );
}
