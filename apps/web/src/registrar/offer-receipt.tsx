import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CredentialOffer, createCredentialOffer, type PersonRecord } from '../api/registry';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';
import { CopyText } from '../app/components/copy-text';
import { FocusHeading } from '../app/components/messages';
import { useFormat } from '../app/format';
import { displayName } from './record-view';

/**
 * Issues the national identity credential through the assisted channel: an OpenID4VCI offer whose
 * QR code and transaction code are printed on a receipt for the person. The code is shown once
 * (the server keeps only its hash) and is never in the QR code, so a photographed QR alone is useless.
 */
export function OfferReceipt({ apiKey, person }: { apiKey: string; person: PersonRecord }) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [offer, setOffer] = useState<CredentialOffer | null>(null);

  useEffect(() => {
    const done = () => document.body.classList.remove('printing-receipt');
    window.addEventListener('afterprint', done);
    return () => window.removeEventListener('afterprint', done);
  }, []);

  const issue = async () => {
    setBusy(true);
    setFailure(null);
    const result = await createCredentialOffer(apiKey, person.id);
    setBusy(false);
    if (!result.ok) setFailure(result);
    else setOffer(result.data);
  };

  if (!offer) {
    return (
      <>
        <p>{t('offer.help')}</p>
        {failure ? <ApiErrorMessage failure={failure} /> : null}
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => void issue()}>
            {busy ? t('working') : t('offer.issue')}
          </button>
        </div>
      </>
    );
  }
  const sameDevice = `/wallet?offer=${encodeURIComponent(offer.links.by_reference)}`;
  return (
    <section className="panel printable receipt" aria-labelledby="receipt-heading">
      <FocusHeading level={3} id="receipt-heading">
        {t('offer.receipt')}
      </FocusHeading>
      <p>{t('offer.receiptFor', { name: displayName(person.data), uin: person.uin ?? '' })}</p>
      <ol className="steps">
        <li>{t('offer.step1')}</li>
        <li>{t('offer.step2')}</li>
      </ol>
      <img className="qr" src={offer.qr.png} alt={t('offer.qrAlt')} width={240} height={240} />
      <dl className="record">
        <dt>{t('offer.txCode')}</dt>
        <dd>
          <span className="big-code" data-testid="tx-code">
            {offer.tx_code}
          </span>
        </dd>
        <dt>{t('offer.expires')}</dt>
        <dd>{format.dateTime(offer.expires_at)}</dd>
      </dl>
      <div className="no-print">
        <CopyText label={t('offer.link')} value={offer.links.by_reference} />
        <p>
          <a href={sameDevice}>{t('offer.sameDevice')}</a>
        </p>
        <div className="actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              document.body.classList.add('printing-receipt');
              window.print();
            }}
          >
            {t('offer.print')}
          </button>
        </div>
      </div>
    </section>
  );
}
