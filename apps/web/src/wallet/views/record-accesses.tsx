import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, StatusMessage } from '../../app/components/messages';
import { credentialName, formatDate, formatTime, issuerName } from '../display';
import {
  accessRefusalReason,
  canAskForAccesses,
  fetchRecordAccesses,
  identityNumber,
  type RecordAccess,
} from '../lib/record-accesses';
import type { StoredCredential } from '../lib/wallet-db';
import { type WalletErrorCode, walletErrorCode } from '../lib/wallet-error';
import { useCredentials, useOnline } from '../use-wallet';

/** How the registry names the person's own reads (apps/server registry-routes holderAccessRoutes). */
const SELF_ACCESSOR = 'the person (wallet)';
const SELF_PURPOSE = 'the person viewed their access history';
const API_KEY_PREFIX = 'api-key:';

/**
 * A name put into a sentence, isolated (FSI … PDI, Unicode bidi): a Latin name with parentheses
 * inside an Arabic sentence keeps its own direction and its brackets.
 */
const isolate = (text: string) => `\u2068${text}\u2069`;

/**
 * "Official access to your record": for each national identity credential of this server's
 * issuer, the holder may ask the registry who read their record and why. Asking shows the
 * registry the identity number (and nothing else), so the holder confirms first; it needs the
 * network, and says so when there is none.
 */
export function RecordAccessesSection() {
  const { t } = useTranslation('wallet');
  const online = useOnline();
  const { credentials, problem } = useCredentials();
  const own = credentials?.filter((credential) => canAskForAccesses(credential, window.location.origin));

  return (
    <section aria-labelledby="wallet-accesses">
      <h2 id="wallet-accesses">{t('history.accesses')}</h2>
      <p>{t('history.accessesIntro')}</p>
      {problem ? <ErrorMessage title={t(`errors.${problem}`)} /> : null}
      {own === undefined ? null : own.length === 0 ? (
        <p>{t('history.accessesNoCredential')}</p>
      ) : (
        <>
          {online ? null : <p className="message message--warning">{t('history.accessesOffline')}</p>}
          <ul className="card-list">
            {own.map((credential) => (
              <li key={credential.id} className="card">
                <CredentialAccesses credential={credential} online={online} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

type Step = 'idle' | 'confirming' | 'asking';

function CredentialAccesses({ credential, online }: { credential: StoredCredential; online: boolean }) {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [step, setStep] = useState<Step>('idle');
  // Each access with a row key: the list is replaced whole, never reordered.
  const [shown, setShown] = useState<Array<RecordAccess & { row: number }>>();
  const [problem, setProblem] = useState<{ code: WalletErrorCode; reason?: string }>();
  // Where the focus goes when the confirmation closes: the answer, or back to the button.
  const [focusTo, setFocusTo] = useState<'summary' | 'button'>();
  const summary = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusTo === undefined) return;
    (focusTo === 'summary' ? summary : button).current?.focus();
    setFocusTo(undefined);
  }, [focusTo]);
  const name = credentialName(credential.display, credential.vct, language);
  const registry = issuerName(credential.display, credential.issuer, language);
  const headingId = `wallet-accesses-${credential.id}`;
  const receivedId = `${headingId}-received`;

  const ask = async () => {
    setProblem(undefined);
    setStep('asking');
    try {
      const accesses = await fetchRecordAccesses(credential);
      setShown(accesses.map((access, row) => ({ ...access, row })));
      setStep('idle');
      // The answer is announced (role="status") and takes the focus the confirmation had.
      setFocusTo('summary');
    } catch (error) {
      const reason = accessRefusalReason(error);
      setProblem({ code: walletErrorCode(error), ...(reason ? { reason } : {}) });
      setStep('idle');
    }
  };

  const accessor = (value: string) => {
    if (value === SELF_ACCESSOR) return t('history.accessor.self');
    if (value.startsWith(API_KEY_PREFIX))
      return t('history.accessor.apiKey', { id: isolate(value.slice(API_KEY_PREFIX.length)) });
    return value;
  };
  const purpose = (value: string) => (value === SELF_PURPOSE ? t('history.accessor.selfPurpose') : value);
  const reason = (code: string) =>
    i18n.exists(`refusals.${code}`, { ns: 'wallet' }) ? t(`refusals.${code}`) : code;

  return (
    <>
      <h3 id={headingId}>{name}</h3>
      <p id={receivedId} className="field__hint">
        {t('history.accessesCredential', {
          registry: isolate(registry),
          date: formatDate(credential.receivedAt, language),
        })}
      </p>
      {problem ? (
        <ErrorMessage title={t(`errors.${problem.code}`)} focus>
          {problem.reason ? <p>{t('errors.reason', { code: reason(problem.reason) })}</p> : null}
        </ErrorMessage>
      ) : null}
      {step === 'confirming' ? (
        <Confirmation
          id={`${headingId}-confirm`}
          number={identityNumber(credential) ?? ''}
          registry={registry}
          online={online}
          onConfirm={() => void ask()}
          onCancel={() => {
            setStep('idle');
            setFocusTo('button');
          }}
        />
      ) : step === 'asking' ? (
        <StatusMessage>{t('history.accessesAsking')}</StatusMessage>
      ) : (
        <div className="actions">
          <button
            ref={button}
            type="button"
            className="button"
            disabled={!online}
            aria-describedby={`${headingId} ${receivedId}`}
            onClick={() => {
              setProblem(undefined);
              setStep('confirming');
            }}
          >
            {t('history.accessesShow')}
          </button>
        </div>
      )}
      {shown ? (
        <>
          <div className="message message--success" role="status" tabIndex={-1} ref={summary}>
            <p className="message__title">
              {shown.length === 0
                ? t('history.accessesNone')
                : t('history.accessesFound', { count: shown.length })}
            </p>
          </div>
          {shown.length === 0 ? null : (
            <div className="table-scroll">
              <table>
                <caption>{t('history.accessesCaption', { name: isolate(name) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('history.when')}</th>
                    <th scope="col">{t('history.accessesWho')}</th>
                    <th scope="col">{t('history.accessesWhy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((access) => (
                    <tr key={access.row}>
                      <td>
                        <time dateTime={new Date(access.at * 1000).toISOString()}>
                          {formatTime(access.at, language)}
                        </time>
                      </td>
                      <td>
                        <bdi>{accessor(access.accessor)}</bdi>
                      </td>
                      <td>
                        <bdi>{purpose(access.purpose)}</bdi>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </>
  );
}

/** The holder agrees, in plain words, to show their identity number to their registry. */
function Confirmation({
  id,
  number,
  registry,
  online,
  onConfirm,
  onCancel,
}: {
  id: string;
  number: string;
  registry: string;
  online: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('wallet');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="accesses__confirm" aria-labelledby={id}>
      <h4 id={id} ref={heading} tabIndex={-1}>
        {t('history.confirmHeading')}
      </h4>
      <p>{t('history.confirmText', { registry: isolate(registry) })}</p>
      <p>
        {t('history.confirmNumber')} <bdi className="accesses__number">{number}</bdi>
      </p>
      <p>{t('history.confirmNothingElse')}</p>
      <div className="actions">
        <button type="button" className="button" disabled={!online} onClick={onConfirm}>
          {t('history.confirmYes')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('history.confirmCancel')}
        </button>
      </div>
    </section>
  );
}
