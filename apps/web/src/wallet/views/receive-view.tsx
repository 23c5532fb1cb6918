import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, FocusHeading, StatusMessage } from '../../app/components/messages';
import { navigate } from '../../app/router';
import { ClaimList } from '../components/claim-list';
import { LinkInput } from '../components/link-input';
import { credentialName, issuerName } from '../display';
import { isUsable } from '../lib/age-pool';
import { parseWalletLink } from '../lib/parse-link';
import { type ResolvedOffer, receiveCredential, resolveOffer } from '../lib/receive-credential';
import { type StoredCredential, walletClock, walletStore } from '../lib/wallet-db';
import { type WalletErrorCode, walletErrorCode } from '../lib/wallet-error';
import { WalletLink, walletPath } from '../wallet-link';

type Step =
  | { name: 'input' }
  | { name: 'resolving' }
  | { name: 'offer'; offer: ResolvedOffer; receiving?: boolean }
  /** A batch of single-use proofs of age is reviewed as one: the same claims, different keys. */
  | { name: 'review'; offer: ResolvedOffer; credentials: StoredCredential[] }
  | { name: 'done'; kept: boolean };

/**
 * Receive (OpenID4VCI pre-authorized code): scan or paste the offer, type the transaction code,
 * see the credential with its issuer and every claim, then keep it or discard it. Nothing is
 * stored before "Keep".
 */
export function ReceiveView({ initialLink }: { initialLink?: string | undefined }) {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [step, setStep] = useState<Step>({ name: 'input' });
  const [problem, setProblem] = useState<WalletErrorCode>();
  const [txCode, setTxCode] = useState('');
  const [txCodeMissing, setTxCodeMissing] = useState(false);
  const txId = useId();
  const started = useRef(false);

  const start = useCallback(async (text: string) => {
    setProblem(undefined);
    let link: ReturnType<typeof parseWalletLink>;
    try {
      link = parseWalletLink(text);
    } catch (error) {
      setProblem(walletErrorCode(error));
      return;
    }
    if (link.kind === 'request') {
      navigate(`${walletPath('present')}?request=${encodeURIComponent(text)}`);
      return;
    }
    setStep({ name: 'resolving' });
    try {
      setStep({ name: 'offer', offer: await resolveOffer(link) });
    } catch (error) {
      setStep({ name: 'input' });
      setProblem(walletErrorCode(error));
    }
  }, []);

  useEffect(() => {
    if (initialLink && !started.current) {
      started.current = true;
      void start(initialLink);
    }
  }, [initialLink, start]);

  const receive = async (event: FormEvent, offer: ResolvedOffer) => {
    event.preventDefault();
    setProblem(undefined);
    if (offer.txCode && txCode.trim() === '') {
      setTxCodeMissing(true);
      return;
    }
    setTxCodeMissing(false);
    setStep({ name: 'offer', offer, receiving: true });
    try {
      const credentials = await receiveCredential(offer, offer.txCode ? txCode.trim() : undefined);
      setTxCode('');
      setStep({ name: 'review', offer, credentials });
    } catch (error) {
      setStep({ name: 'offer', offer });
      setProblem(walletErrorCode(error));
    }
  };

  const keep = async (credentials: readonly StoredCredential[]) => {
    setProblem(undefined);
    try {
      for (const credential of credentials) await walletStore.putCredential(credential);
      // A new batch of proofs of age replaces the used and expired ones of that issuer, kept
      // until now only to know a pool existed (for the top-up).
      const first = credentials[0];
      if (first?.singleUse)
        for (const old of await walletStore.credentials())
          if (
            old.singleUse &&
            !isUsable(old, walletClock.now()) &&
            old.issuer === first.issuer &&
            old.vct === first.vct
          )
            await walletStore.deleteCredential(old.id);
      setStep({ name: 'done', kept: true });
    } catch (error) {
      setProblem(walletErrorCode(error));
    }
  };

  const error = problem ? <ErrorMessage title={t(`errors.${problem}`)} focus /> : null;

  if (step.name === 'input' || step.name === 'resolving') {
    return (
      <section aria-labelledby="wallet-receive">
        <h2 id="wallet-receive">{t('receive.heading')}</h2>
        <p>{t('receive.intro')}</p>
        {error}
        {step.name === 'resolving' ? <StatusMessage>{t('receive.checking')}</StatusMessage> : null}
        <LinkInput
          initial={initialLink ?? ''}
          busy={step.name === 'resolving'}
          onLink={(text) => void start(text)}
          hint={t('input.offerHint')}
        />
      </section>
    );
  }

  if (step.name === 'offer') {
    const { offer } = step;
    const issuer = issuerName(offer.display, offer.issuer, language);
    const hintId = `${txId}-hint`;
    return (
      <section aria-labelledby="wallet-offer">
        <FocusHeading id="wallet-offer">{t('receive.offerHeading', { issuer })}</FocusHeading>
        <dl className="record">
          <dt>{t('receive.issuer')}</dt>
          <dd>
            <bdi>{issuer}</bdi> <span className="mono ltr">({offer.issuer})</span>
          </dd>
          <dt>{t('receive.credential')}</dt>
          <dd>{credentialName(offer.display, offer.vct, language)}</dd>
        </dl>
        {error}
        <form onSubmit={(event) => void receive(event, offer)} noValidate>
          {offer.txCode ? (
            <div className={`field${txCodeMissing ? ' field--invalid' : ''}`}>
              <label htmlFor={txId}>{t('receive.txCode')}</label>
              <p className="field__hint" id={hintId}>
                {t('receive.txCodeHint')}
                {offer.txCode.length ? ` ${t('receive.txCodeLength', { count: offer.txCode.length })}` : ''}
                {/* The issuer's own words, in whatever language it wrote them. */}
                {offer.txCode.description ? (
                  <>
                    <br />
                    <bdi>{offer.txCode.description}</bdi>
                  </>
                ) : null}
              </p>
              {txCodeMissing ? (
                <p className="field__error" id={`${txId}-error`}>
                  {t('receive.txCodeMissing')}
                </p>
              ) : null}
              <input
                id={txId}
                type="text"
                className="short mono"
                dir="ltr"
                inputMode={offer.txCode.inputMode === 'numeric' ? 'numeric' : 'text'}
                autoComplete="one-time-code"
                maxLength={offer.txCode.length ?? 32}
                required
                aria-invalid={txCodeMissing ? true : undefined}
                aria-describedby={txCodeMissing ? `${hintId} ${txId}-error` : hintId}
                value={txCode}
                onChange={(event) => setTxCode(event.target.value)}
              />
            </div>
          ) : null}
          {step.receiving ? <StatusMessage>{t('receive.receiving')}</StatusMessage> : null}
          <div className="actions">
            <button type="submit" className="button" disabled={step.receiving}>
              {t('receive.accept')}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setStep({ name: 'input' })}
            >
              {t('receive.cancel')}
            </button>
          </div>
        </form>
      </section>
    );
  }

  if (step.name === 'review') {
    const { offer, credentials } = step;
    const credential = credentials[0]!;
    const issuer = issuerName(offer.display, credential.issuer, language);
    return (
      <section aria-labelledby="wallet-review">
        <FocusHeading id="wallet-review">{t('receive.reviewHeading')}</FocusHeading>
        <p>{t('receive.reviewIntro', { issuer })}</p>
        <h3>{credentialName(credential.display, credential.vct, language)}</h3>
        {credential.singleUse ? <p>{t('age.batchReceived', { count: credentials.length })}</p> : null}
        <ClaimList claims={credential.claims} display={credential.display} />
        {error}
        <div className="actions">
          <button type="button" className="button" onClick={() => void keep(credentials)}>
            {t('receive.keep')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setStep({ name: 'done', kept: false })}
          >
            {t('receive.discard')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section aria-labelledby="wallet-received">
      <h2 id="wallet-received" className="visually-hidden">
        {t('receive.heading')}
      </h2>
      <StatusMessage
        tone={step.kept ? 'success' : 'info'}
        title={step.kept ? t('receive.kept') : t('receive.discarded')}
      />
      <p>
        <WalletLink to={walletPath('credentials')}>{t('receive.viewCredentials')}</WalletLink>
      </p>
    </section>
  );
}
