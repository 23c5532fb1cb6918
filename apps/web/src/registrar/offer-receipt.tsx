import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CredentialOffer,
  createCredentialOffer,
  type OfferedCredential,
  type PersonRecord,
} from '../api/registry';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';
import { CopyText } from '../app/components/copy-text';
import { RadioGroup, TextField } from '../app/components/fields';
import { FocusHeading } from '../app/components/messages';
import { useFormat } from '../app/format';
import { displayName } from './record-view';

type Kind = OfferedCredential['credential'];
const KINDS: readonly Kind[] = ['national_identity', 'age', 'guardian'];
/** A registry record id as the server mints them (a UUID or similar opaque token). */
const RECORD_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Issues a credential through the assisted channel: an OpenID4VCI offer whose QR code and
 * transaction code are printed on a receipt for the person. The code is shown once (the server
 * keeps only its hash) and is never in the QR code, so a photographed QR alone is useless. The
 * registrar chooses the national identity credential, proofs of age (a batch of single-use
 * credentials), or the guardian credential — for a child of this person (the child's record id),
 * or, on a child's record, for one of the guardians it lists (the offer then goes to that guardian).
 */
export function OfferReceipt({ apiKey, person }: { apiKey: string; person: PersonRecord }) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [offer, setOffer] = useState<(CredentialOffer & { holderId: string }) | null>(null);
  const [kind, setKind] = useState<Kind>('national_identity');
  const guardians = person.data.guardians ?? [];
  // '' = this person is the guardian (a child id is typed); else the id of a guardian of this person.
  const [guardianOf, setGuardianOf] = useState<string>('');
  const [childId, setChildId] = useState('');
  const [childError, setChildError] = useState<string>();

  useEffect(() => {
    const done = () => document.body.classList.remove('printing-receipt');
    window.addEventListener('afterprint', done);
    return () => window.removeEventListener('afterprint', done);
  }, []);

  const issue = async () => {
    let holderId = person.id;
    let body: OfferedCredential | undefined;
    if (kind === 'age') body = { credential: 'age' };
    if (kind === 'guardian') {
      if (guardianOf !== '') {
        holderId = guardianOf;
        body = { credential: 'guardian', child_id: person.id };
      } else {
        const child = childId.trim();
        if (!RECORD_ID.test(child)) {
          setChildError(t('offer.childIdInvalid'));
          return;
        }
        body = { credential: 'guardian', child_id: child };
      }
    }
    setChildError(undefined);
    setBusy(true);
    setFailure(null);
    // The national identity offer keeps today's bodiless call.
    const result = await createCredentialOffer(apiKey, holderId, body);
    setBusy(false);
    if (!result.ok) setFailure(result);
    else setOffer({ ...result.data, holderId });
  };

  if (!offer) {
    return (
      <>
        <p>{t('offer.help')}</p>
        <RadioGroup
          legend={t('offer.which')}
          name={`offer-kind-${person.id}`}
          value={kind}
          options={KINDS.map((value) => ({
            value,
            label: t(`offer.kinds.${value}.label`),
            hint: t(`offer.kinds.${value}.hint`),
          }))}
          onChange={setKind}
        />
        {kind === 'guardian' ? (
          <>
            {guardians.length > 0 ? (
              <RadioGroup
                legend={t('offer.guardianWho')}
                name={`offer-guardian-${person.id}`}
                value={guardianOf}
                options={[
                  { value: '', label: t('offer.guardianSelf') },
                  ...guardians.map((g) => ({
                    value: g.personId,
                    label: t('offer.guardianOfThis', { id: g.personId }),
                  })),
                ]}
                onChange={setGuardianOf}
              />
            ) : null}
            {guardianOf === '' ? (
              <TextField
                label={t('offer.childId')}
                hint={t('offer.childIdHint')}
                className="medium mono"
                dir="ltr"
                autoComplete="off"
                value={childId}
                error={childError}
                onChange={(event) => setChildId(event.target.value)}
              />
            ) : null}
          </>
        ) : null}
        {failure ? <ApiErrorMessage failure={failure} /> : null}
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => void issue()}>
            {busy ? t('working') : t(`offer.kinds.${kind}.issue`)}
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
      {offer.holderId === person.id ? (
        <p>{t('offer.receiptFor', { name: displayName(person.data), uin: person.uin ?? '' })}</p>
      ) : (
        <p>{t('offer.receiptForGuardian', { id: offer.holderId, name: displayName(person.data) })}</p>
      )}
      <p>{t(`offer.kinds.${kindOf(offer.credential_configuration_id)}.label`)}</p>
      <ol className="steps">
        <li>{t('offer.step1')}</li>
        <li>{t('offer.step2')}</li>
      </ol>
      <img
        className="qr"
        src={offer.qr.png}
        alt={t(`offer.kinds.${kindOf(offer.credential_configuration_id)}.qrAlt`)}
        width={240}
        height={240}
      />
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

/** The kind of an offer by its configuration id (`age_xa`, `guardian_xa`, …; absent: national identity). */
function kindOf(configurationId: string | undefined): Kind {
  if (configurationId?.startsWith('age_')) return 'age';
  if (configurationId?.startsWith('guardian_')) return 'guardian';
  return 'national_identity';
}
