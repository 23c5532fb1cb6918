import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CreatedRequest,
  deletePresentationRequest,
  type ParentalConsentResult,
  type PresentationResult,
  readPresentationRequest,
  type Trust,
  type VerifiedCredential,
} from '../api/verifier';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';
import { CopyText } from '../app/components/copy-text';
import { ErrorMessage, FocusHeading, StatusMessage } from '../app/components/messages';
import { useFormat } from '../app/format';
import { ClaimsList } from './claims-list';

const POLL_MS = 1500;

/** The QR code and same-device link of a request, then its result as soon as the wallet answers. */
export function RequestTracker({
  apiKey,
  request,
  onDone,
}: {
  apiKey: string;
  request: CreatedRequest;
  onDone: () => void;
}) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const [state, setState] = useState<PresentationResult | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    const poll = async () => {
      const result = await readPresentationRequest(apiKey, request.id, controller.signal);
      if (controller.signal.aborted) return;
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setState(result.data);
      if (result.data.status === 'pending') timer.current = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      window.clearTimeout(timer.current);
    };
  }, [apiKey, request.id]);

  const finish = async () => {
    // Data minimisation: the relying party deletes the answer once it has read it.
    if (state && state.status !== 'pending') await deletePresentationRequest(apiKey, request.id);
    onDone();
  };

  const pending = !state || state.status === 'pending';
  const sameDevice = `/wallet?request=${encodeURIComponent(request.authorization_request)}`;
  return (
    <section aria-labelledby="tracker-heading">
      {pending ? (
        <>
          <FocusHeading id="tracker-heading">{t('verifier.waitingHeading')}</FocusHeading>
          <p>{t('verifier.scanHelp', { purpose: state?.purpose ?? '' })}</p>
          <img className="qr" src={request.qr_code.png} alt={t('verifier.qrAlt')} width={260} height={260} />
          <p>
            <a href={sameDevice}>{t('verifier.sameDevice')}</a>
          </p>
          <CopyText label={t('verifier.requestLink')} value={request.authorization_request} />
          <p>{t('verifier.expires', { at: format.dateTime(request.expires_at) })}</p>
          {failure ? (
            <ApiErrorMessage failure={failure} focus={false} />
          ) : (
            <StatusMessage title={t('verifier.waiting')} />
          )}
        </>
      ) : state.status === 'verified' ? (
        <VerifiedView result={state} />
      ) : (
        <RefusedView result={state} />
      )}
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={() => void finish()}>
          {pending ? t('verifier.cancel') : t('verifier.another')}
        </button>
      </div>
    </section>
  );
}

function VerifiedView({ result }: { result: PresentationResult }) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const credentials = Object.entries(result.result?.credentials ?? {});
  const dropped = result.result?.dropped_claims ?? [];
  return (
    <>
      <FocusHeading id="tracker-heading">{t('verifier.verifiedHeading')}</FocusHeading>
      <StatusMessage tone="success" title={t('verifier.verified')}>
        <p>{t('verifier.answeredAt', { at: format.dateTime(result.answered_at ?? result.created_at) })}</p>
      </StatusMessage>
      {result.age_check ? <AgeCheckView check={result.age_check} /> : null}
      {result.consent ? <ConsentView consent={result.consent} /> : null}
      {credentials.map(([queryId, presented]) =>
        presented.map((credential) => (
          <CredentialView
            key={`${queryId}:${credential.vct}:${credential.issued_at ?? ''}`}
            credential={credential}
          />
        )),
      )}
      {dropped.length > 0 ? (
        <StatusMessage tone="warning" title={t('verifier.dropped', { count: dropped.length })}>
          <ul>
            {dropped.map((claim) => (
              <li key={`${claim.credential}:${claim.path.join('.')}`} className="mono">
                {claim.path.join('.')}
              </li>
            ))}
          </ul>
        </StatusMessage>
      ) : null}
    </>
  );
}

function CredentialView({ credential }: { credential: VerifiedCredential }) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const id = useId();
  return (
    <>
      <section className="panel" aria-labelledby={`${id}-claims`}>
        <h3 id={`${id}-claims`}>{t('verifier.receivedClaims')}</h3>
        <ClaimsList claims={credential.claims} />
        <p>{t('verifier.nothingElse')}</p>
      </section>
      <section className="panel" aria-labelledby={`${id}-about`}>
        <h3 id={`${id}-about`}>{t('verifier.aboutCredential')}</h3>
        <dl className="record">
          <dt>{t('verifier.issuer')}</dt>
          <dd>
            {credential.trust?.issuer_name ? `${credential.trust.issuer_name} — ` : ''}
            <span className="mono">{credential.issuer}</span>
          </dd>
          <dt>{t('verifier.type')}</dt>
          <dd className="mono">{credential.vct}</dd>
          <dt>{t('verifier.vouchedBy')}</dt>
          <dd>{credential.trust ? <TrustText trust={credential.trust} /> : t('verifier.trustUnknown')}</dd>
          <dt>{t('verifier.status')}</dt>
          <dd>
            {credential.trust?.status.checked
              ? t(`verifier.statusChecked.${credential.trust.status.source ?? 'own-database'}`, {
                  at: credential.trust.status.read_at ? format.dateTime(credential.trust.status.read_at) : '',
                })
              : t('verifier.statusNotChecked')}
          </dd>
          <dt>{t('verifier.holderBinding')}</dt>
          <dd>{credential.key_bound ? t('verifier.keyBound') : t('verifier.notKeyBound')}</dd>
          {credential.issued_at ? (
            <>
              <dt>{t('verifier.issuedAt')}</dt>
              <dd>{format.dateTime(credential.issued_at)}</dd>
            </>
          ) : null}
          {credential.expires_at ? (
            <>
              <dt>{t('verifier.expiresAt')}</dt>
              <dd>{format.dateTime(credential.expires_at)}</dd>
            </>
          ) : null}
        </dl>
      </section>
    </>
  );
}

/** Which source vouched for the issuer's key: this installation, a configured key, or a trust list (and how fresh). */
function TrustText({ trust }: { trust: Trust }) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  if (trust.source !== 'trust-list' || !trust.list) return <>{t(`verifier.trustSource.${trust.source}`)}</>;
  const list = trust.list;
  return (
    <>
      {t('verifier.trustList', {
        operator: list.operator,
        jurisdiction: list.jurisdiction,
        version: list.sequence_number,
        fetched: format.dateTime(list.fetched_at),
      })}{' '}
      <span className={`badge badge--${list.freshness === 'fresh' ? 'success' : 'warning'}`}>
        {t(`verifier.freshness.${list.freshness}`)}
      </span>
      {trust.recognised_by ? (
        <>
          {' '}
          {t('verifier.recognisedBy', {
            operator: trust.recognised_by.operator,
            jurisdiction: trust.recognised_by.jurisdiction,
            version: trust.recognised_by.sequence_number,
          })}
        </>
      ) : null}
    </>
  );
}

/** The verified answer of an "over N only" request, in words: yes, over N; or no, not over N. */
function AgeCheckView({ check }: { check: { age: number; over: boolean } }) {
  const { t } = useTranslation('consoles');
  return (
    <section className="panel age-check" aria-labelledby="age-check-heading" data-testid="age-check">
      <h3 id="age-check-heading">{t('verifier.ageCheck.heading', { age: check.age })}</h3>
      <p className={`age-check__answer age-check__answer--${check.over ? 'yes' : 'no'}`}>
        <strong>
          {check.over
            ? t('verifier.ageCheck.yes', { age: check.age })
            : t('verifier.ageCheck.no', { age: check.age })}
        </strong>
      </p>
      <p>{t('verifier.ageCheck.note')}</p>
    </section>
  );
}

/** A guardian's verified consent: for which child, to what, for which service — and whether it holds. */
function ConsentView({ consent }: { consent: ParentalConsentResult }) {
  const { t } = useTranslation('consoles');
  const terms = consent.transaction_data[0] ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const service = text(terms['service']);
  return (
    <section className="panel" aria-labelledby="consent-heading" data-testid="consent">
      <h3 id="consent-heading">{t('verifier.consentResult.heading')}</h3>
      {consent.given ? (
        <StatusMessage tone="success" title={t('verifier.consentResult.given')} />
      ) : (
        <ErrorMessage title={t('verifier.consentResult.notGiven')} />
      )}
      <dl className="record">
        <dt>{t('verifier.consentResult.child')}</dt>
        <dd>
          <bdi>{consent.child.given_name ?? '—'}</bdi>
        </dd>
        {consent.child.birthdate ? (
          <>
            <dt>{t('verifier.consentResult.birthdate')}</dt>
            <dd className="ltr">{consent.child.birthdate}</dd>
          </>
        ) : null}
        <dt>{t('verifier.consentResult.consent')}</dt>
        <dd>
          <bdi>{text(terms['consent']) ?? '—'}</bdi>
        </dd>
        {service ? (
          <>
            <dt>{t('verifier.consentResult.service')}</dt>
            <dd>
              <bdi>{service}</bdi>
            </dd>
          </>
        ) : null}
      </dl>
      <p>{t('verifier.consentResult.note')}</p>
    </section>
  );
}

function RefusedView({ result }: { result: PresentationResult }) {
  const { t } = useTranslation('consoles');
  const reason = result.reason ?? 'unknown';
  const age =
    result.template?.['type'] === 'age_over' && typeof result.template['age'] === 'number'
      ? result.template['age']
      : undefined;
  return (
    <>
      <FocusHeading id="tracker-heading">{t('verifier.refusedHeading')}</FocusHeading>
      {age === undefined ? null : (
        <p className="age-check__answer age-check__answer--unknown">
          <strong>{t('verifier.ageCheck.unproven', { age })}</strong>
        </p>
      )}
      <ErrorMessage title={t(`reasons.${reason}`, { defaultValue: t('reasons.unknown') })}>
        <p>{t('verifier.reasonCode', { code: reason })}</p>
      </ErrorMessage>
    </>
  );
}
