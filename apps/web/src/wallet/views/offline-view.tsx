import { type FormEvent, Fragment, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, TextField } from '../../app/components/fields';
import { ErrorMessage, FocusHeading } from '../../app/components/messages';
import { QrCode } from '../components/qr-code';
import { claimLabel, claimRows, credentialName, formatTime, formatValue } from '../display';
import {
  buildOfflinePresentation,
  type OfflinePresentation,
  offlineAudience,
} from '../lib/offline-presentation';
import { pointerOf } from '../lib/plan-consent';
import { newId, type StoredCredential, walletClock, walletStore } from '../lib/wallet-db';
import { walletErrorCode } from '../lib/wallet-error';
import { useCredentials } from '../use-wallet';
import { AgeProofSection } from './age-proof';

/** Prints only the `.printable` part of the page (the foundation's print stylesheet). */
function printPaperCopy(): void {
  document.body.classList.add('printing-receipt');
  const done = () => {
    document.body.classList.remove('printing-receipt');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}

/**
 * An offline presentation: the holder picks a credential and the claims to show; the wallet builds
 * an SD-JWT presentation of only those, bound to its holder key with a KB-JWT whose audience is
 * `offline:<verifier's code>` (or `offline:any`), and shows it as a QR code a verifier reads without
 * a network. Works with no network at all. A paper copy prints the code and the list of claims.
 */
export function OfflineView() {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const { credentials: all, reload } = useCredentials();
  // Single-use proofs of age are shown through "Show a proof of age" only, one at a time.
  const credentials = all?.filter((c) => c.singleUse !== true);
  const [credentialId, setCredentialId] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [audience, setAudience] = useState('');
  const [problem, setProblem] = useState<string>();
  const [result, setResult] = useState<{
    presentation: OfflinePresentation;
    credential: StoredCredential;
    pointers: string[];
  }>();
  const groupId = useId();

  if (credentials === undefined || all === undefined) return null;
  const ageProof = <AgeProofSection credentials={all} onUsed={reload} />;
  if (credentials.length === 0) {
    return (
      <>
        {ageProof}
        <section aria-labelledby="wallet-offline">
          <h2 id="wallet-offline">{t('offlineQr.heading')}</h2>
          <p>{t('offlineQr.none')}</p>
        </section>
      </>
    );
  }
  const credential = credentials.find((c) => c.id === credentialId) ?? credentials[0]!;
  const rows = claimRows(credential.claims, credential.display).map((row) => ({
    ...row,
    pointer: pointerOf(row.path),
  }));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const pointers = rows.filter((row) => selected.has(row.pointer)).map((row) => row.pointer);
    if (pointers.length === 0) {
      setProblem('nothingSelected');
      return;
    }
    try {
      const aud = offlineAudience(audience);
      const now = walletClock.now();
      const presentation = await buildOfflinePresentation(credential, pointers, { audience: aud, now });
      const name = credentialName(credential.display, credential.vct, language);
      await walletStore
        .addReceipt({
          id: newId(),
          at: now,
          kind: 'offline',
          outcome: 'shared',
          audience: aud,
          claims: rows
            .filter((row) => pointers.includes(row.pointer))
            .map((row) => ({
              credentialId: credential.id,
              credentialName: name,
              path: row.path,
              label: claimLabel(credential.display, row.path, t, language),
            })),
        })
        .catch(() => undefined);
      setResult({ presentation, credential, pointers });
    } catch (error) {
      setProblem(walletErrorCode(error));
    }
  };

  if (result) {
    const { presentation } = result;
    const shownRows = rows.filter((row) => result.pointers.includes(row.pointer));
    const who =
      presentation.audience === 'offline:any'
        ? t('offlineQr.anyVerifier')
        : presentation.audience.slice('offline:'.length);
    return (
      <section aria-labelledby="wallet-offline-qr" className="printable wallet-offline">
        <FocusHeading id="wallet-offline-qr">{t('offlineQr.printTitle', { audience: who })}</FocusHeading>
        <QrCode text={presentation.text} label={t('offlineQr.qrLabel', { count: shownRows.length })} />
        <h3>{t('offlineQr.contains')}</h3>
        <dl className="record">
          {shownRows.map((row) => (
            <Fragment key={row.pointer}>
              <dt>{claimLabel(result.credential.display, row.path, t, language)}</dt>
              <dd>
                <bdi>{formatValue(row.value, t, language)}</bdi>
              </dd>
            </Fragment>
          ))}
        </dl>
        <p>
          {t('offlineQr.createdAt')}: {formatTime(presentation.createdAt, language)} ·{' '}
          {t('offlineQr.size', { bytes: presentation.bytes })}
        </p>
        <p className="field__hint">{t('offlineQr.freshness')}</p>
        <div className="actions no-print">
          <button type="button" className="button" onClick={printPaperCopy}>
            {t('offlineQr.print')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setResult(undefined)}>
            {t('offlineQr.again')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <>
      {ageProof}
      <section aria-labelledby="wallet-offline">
        <h2 id="wallet-offline">{t('offlineQr.heading')}</h2>
        <p>{t('offlineQr.intro')}</p>
        <form onSubmit={(event) => void create(event)} noValidate>
          {credentials.length > 1 ? (
            <fieldset>
              <legend>{t('offlineQr.credential')}</legend>
              {credentials.map((c) => (
                <div className="radio" key={c.id}>
                  <input
                    type="radio"
                    id={`${groupId}-${c.id}`}
                    name={`${groupId}-credential`}
                    checked={c.id === credential.id}
                    onChange={() => {
                      setCredentialId(c.id);
                      setSelected(new Set());
                    }}
                  />
                  <label htmlFor={`${groupId}-${c.id}`}>
                    {credentialName(c.display, c.vct, language)} — {formatTime(c.receivedAt, language)}
                  </label>
                </div>
              ))}
            </fieldset>
          ) : null}
          <fieldset aria-describedby={`${groupId}-hint`}>
            <legend>{t('offlineQr.claims')}</legend>
            <p className="field__hint" id={`${groupId}-hint`}>
              {t('offlineQr.claimsHint')}
            </p>
            {rows.map((row) => (
              <CheckboxField
                key={row.pointer}
                label={
                  <>
                    {claimLabel(credential.display, row.path, t, language)}:{' '}
                    <bdi>{formatValue(row.value, t, language)}</bdi>
                  </>
                }
                checked={selected.has(row.pointer)}
                onChange={(event) => {
                  const on = event.currentTarget.checked;
                  setSelected((current) => {
                    const next = new Set(current);
                    if (on) next.add(row.pointer);
                    else next.delete(row.pointer);
                    return next;
                  });
                }}
              />
            ))}
          </fieldset>
          <TextField
            label={t('offlineQr.audience')}
            hint={t('offlineQr.audienceHint')}
            className="medium mono"
            dir="ltr"
            autoComplete="off"
            value={audience}
            onChange={(event) => setAudience(event.target.value)}
          />
          {problem ? (
            <ErrorMessage
              title={problem === 'nothingSelected' ? t('offlineQr.nothingSelected') : t(`errors.${problem}`)}
              focus
            />
          ) : null}
          <div className="actions">
            <button type="submit" className="button">
              {t('offlineQr.create')}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
