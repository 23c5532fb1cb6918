import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField } from '../../app/components/fields';
import { ErrorMessage, FocusHeading, StatusMessage } from '../../app/components/messages';
import { navigate } from '../../app/router';
import { LinkInput } from '../components/link-input';
import { claimLabel, credentialName, formatValue } from '../display';
import { ageOnlyStatement } from '../lib/age-pool';
import { type Disclosure, declineRequest, refusalCode, shareWithVerifier } from '../lib/answer-request';
import { parseWalletLink } from '../lib/parse-link';
import {
  type ConsentPlan,
  type CredentialChoice,
  planConsent,
  selectionAcceptable,
} from '../lib/plan-consent';
import { type PresentationRequest, resolveRequest } from '../lib/resolve-request';
import { childFilter, type ParentalConsent } from '../lib/transaction-data';
import { type ConsentReceipt, newId, walletClock, walletStore } from '../lib/wallet-db';
import { type WalletErrorCode, walletErrorCode } from '../lib/wallet-error';
import { WalletLink, walletPath } from '../wallet-link';

interface Consent {
  request: PresentationRequest;
  plan: ConsentPlan;
}

type Step =
  | { name: 'input' }
  | { name: 'resolving' }
  | ({ name: 'consent'; busy?: 'sharing' | 'declining' } & Consent)
  | { name: 'done'; outcome: 'shared' | 'declined'; verifier: string };

/** A purpose as the verifier wrote it: text, or text per language (an object), in the holder's language. */
function purposeText(purpose: unknown, language: string): string | undefined {
  if (typeof purpose === 'string' || typeof purpose === 'number') return String(purpose).slice(0, 500);
  if (purpose && typeof purpose === 'object' && !Array.isArray(purpose)) {
    const texts = purpose as Record<string, unknown>;
    const pick =
      texts[language] ?? texts[language.split('-')[0] ?? ''] ?? texts['en'] ?? Object.values(texts)[0];
    return typeof pick === 'string' ? pick.slice(0, 500) : undefined;
  }
  return undefined;
}

/**
 * Share (OpenID4VP): read the verifier's request from its QR code or link, verify its signature,
 * then a consent screen says who asks (the name in its signed request), why (its stated purpose)
 * and exactly which claims would go, with their values. Optional claims can be unticked. "Share"
 * sends a presentation of only those claims; "Decline" tells the verifier no. Either way a consent
 * receipt is kept on the device.
 */
export function PresentView({ initialLink }: { initialLink?: string | undefined }) {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [step, setStep] = useState<Step>({ name: 'input' });
  const [problem, setProblem] = useState<{ code: WalletErrorCode; reason?: string }>();
  const [selected, setSelected] = useState<Record<string, Set<string>>>({});
  const [included, setIncluded] = useState<Record<string, boolean>>({});
  const [selectionProblem, setSelectionProblem] = useState<string>();
  const started = useRef(false);

  const start = useCallback(async (text: string) => {
    setProblem(undefined);
    let link: ReturnType<typeof parseWalletLink>;
    try {
      link = parseWalletLink(text);
    } catch (error) {
      setProblem({ code: walletErrorCode(error) });
      return;
    }
    if (link.kind === 'offer') {
      navigate(`${walletPath('receive')}?offer=${encodeURIComponent(text)}`);
      return;
    }
    setStep({ name: 'resolving' });
    try {
      const request = await resolveRequest(link);
      const plan = planConsent(
        request.query,
        await walletStore.credentials(),
        walletClock.now(),
        childFilter(request.transactionData),
      );
      setSelected(Object.fromEntries(plan.credentials.map((c) => [c.queryId, new Set(defaultSelection(c))])));
      setIncluded(Object.fromEntries(plan.credentials.map((c) => [c.queryId, true])));
      setSelectionProblem(undefined);
      setStep({ name: 'consent', request, plan });
    } catch (error) {
      setStep({ name: 'input' });
      setProblem({ code: walletErrorCode(error) });
    }
  }, []);

  useEffect(() => {
    if (initialLink && !started.current) {
      started.current = true;
      void start(initialLink);
    }
  }, [initialLink, start]);

  const error = problem ? (
    <ErrorMessage title={t(`errors.${problem.code}`)} focus>
      {problem.reason ? (
        <p>
          {t('errors.reason', {
            code: i18n.exists(`refusals.${problem.reason}`, { ns: 'wallet' })
              ? t(`refusals.${problem.reason}`)
              : problem.reason,
          })}
        </p>
      ) : null}
    </ErrorMessage>
  ) : null;

  if (step.name === 'input' || step.name === 'resolving') {
    return (
      <section aria-labelledby="wallet-present">
        <h2 id="wallet-present">{t('present.heading')}</h2>
        <p>{t('present.intro')}</p>
        {error}
        {step.name === 'resolving' ? <StatusMessage>{t('present.checking')}</StatusMessage> : null}
        <LinkInput
          initial={initialLink ?? ''}
          busy={step.name === 'resolving'}
          onLink={(text) => void start(text)}
          hint={t('input.requestHint')}
        />
      </section>
    );
  }

  if (step.name === 'done') {
    return (
      <section aria-labelledby="wallet-present-done">
        <FocusHeading id="wallet-present-done">
          {step.outcome === 'shared'
            ? t('present.shared', { verifier: step.verifier })
            : t('present.declined', { verifier: step.verifier })}
        </FocusHeading>
        {step.outcome === 'shared' ? (
          <StatusMessage tone="success">{t('present.sharedDetail')}</StatusMessage>
        ) : null}
        <p>
          <WalletLink to={walletPath('history')}>{t('nav.history')}</WalletLink>
        </p>
      </section>
    );
  }

  const { request, plan } = step;
  const verifier = request.clientName ?? t('present.unnamed');
  const purposes = plan.purposes.map((p) => purposeText(p, language)).filter((p): p is string => Boolean(p));
  const chosen = plan.credentials.filter((c) => included[c.queryId] !== false);
  const consents = request.transactionData.flatMap((entry) =>
    entry.parentalConsent ? [entry.parentalConsent] : [],
  );
  const statement = ageOnlyStatement(
    chosen.flatMap((c) =>
      c.claims.filter((claim) => claim.required || selected[c.queryId]?.has(claim.pointer)),
    ),
  );

  const receipt = (
    outcome: ConsentReceipt['outcome'],
    disclosures: readonly Disclosure[],
    code?: string,
  ): ConsentReceipt => ({
    id: newId(),
    at: walletClock.now(),
    kind: 'online',
    outcome,
    ...(request.clientName ? { verifierName: request.clientName } : {}),
    audience: request.clientId,
    ...(purposes.length > 0 ? { purpose: purposes.join(' · ') } : {}),
    claims: disclosures.flatMap((d) =>
      d.pointers.map((pointer) => {
        const claim = plan.credentials
          .find((c) => c.queryId === d.queryId)
          ?.claims.find((c) => c.pointer === pointer);
        const path = claim?.path ?? [pointer];
        return {
          credentialId: d.credential.id,
          credentialName: credentialName(d.credential.display, d.credential.vct, language),
          path,
          label: claimLabel(d.credential.display, path, t, language),
        };
      }),
    ),
    ...(code ? { code } : {}),
  });

  const share = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const disclosures: Disclosure[] = chosen.map((c) => ({
      queryId: c.queryId,
      credential: c.credential,
      pointers: c.claims
        .filter((claim) => claim.required || selected[c.queryId]?.has(claim.pointer))
        .map((claim) => claim.pointer),
    }));
    if (disclosures.length === 0 || disclosures.every((d) => d.pointers.length === 0)) {
      setSelectionProblem(t('present.nothingSelected'));
      return;
    }
    const incomplete = chosen.some(
      (c) => !selectionAcceptable(c, new Set(disclosures.find((d) => d.queryId === c.queryId)?.pointers)),
    );
    if (incomplete) {
      setSelectionProblem(t('present.selectionIncomplete'));
      return;
    }
    setSelectionProblem(undefined);
    setStep({ ...step, busy: 'sharing' });
    // A single-use credential counts as used from the moment it may have left the device: it is
    // never offered again, whether the verifier accepts it or not. If the device cannot record
    // that, nothing is sent (it could be shown a second time, and be linked).
    const now = walletClock.now();
    const singleUse = disclosures.filter((d) => d.credential.singleUse);
    try {
      await Promise.all(singleUse.map((d) => walletStore.putCredential({ ...d.credential, usedAt: now })));
    } catch {
      setStep({ ...step, busy: undefined });
      setProblem({ code: 'STORAGE_UNAVAILABLE' });
      return;
    }
    try {
      await shareWithVerifier(request, disclosures);
      await walletStore.addReceipt(receipt('shared', disclosures)).catch(() => undefined);
      setStep({ name: 'done', outcome: 'shared', verifier });
    } catch (failure) {
      const code = walletErrorCode(failure);
      const reason = refusalCode(failure);
      await walletStore.addReceipt(receipt('failed', disclosures, reason ?? code)).catch(() => undefined);
      // A retry must not show the same single-use credential again: plan anew from what is left
      // (the next proof of the pool, or "no matching credential" when none is).
      const plan =
        singleUse.length === 0
          ? step.plan
          : planConsent(
              request.query,
              await walletStore.credentials(),
              walletClock.now(),
              childFilter(request.transactionData),
            );
      setStep({ ...step, plan, busy: undefined });
      setProblem({ code, ...(reason ? { reason } : {}) });
    }
  };

  const decline = async () => {
    setProblem(undefined);
    setStep({ ...step, busy: 'declining' });
    try {
      await declineRequest(request);
    } catch {
      // The verifier may be gone or the request expired: declining still means nothing was sent.
    }
    await walletStore.addReceipt(receipt('declined', [])).catch(() => undefined);
    setStep({ name: 'done', outcome: 'declined', verifier });
  };

  const toggle = (queryId: string, pointer: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current[queryId]);
      if (on) next.add(pointer);
      else next.delete(pointer);
      return { ...current, [queryId]: next };
    });

  return (
    <section aria-labelledby="wallet-consent" className="consent">
      <FocusHeading id="wallet-consent">{t('present.consentHeading', { verifier })}</FocusHeading>
      <section aria-labelledby="wallet-consent-who">
        <h3 id="wallet-consent-who">{t('present.who')}</h3>
        <p className="consent__verifier">
          <bdi>{verifier}</bdi>
        </p>
        <p className="field__hint">{t('present.whoNote')}</p>
        <dl className="record">
          <dt>{t('present.fingerprint')}</dt>
          <dd className="mono ltr">{request.verifierKeyThumbprint}</dd>
        </dl>
      </section>
      <section aria-labelledby="wallet-consent-why">
        <h3 id="wallet-consent-why">{t('present.why')}</h3>
        {purposes.length > 0 ? (
          purposes.map((p) => (
            <p key={p}>
              <bdi>{p}</bdi>
            </p>
          ))
        ) : (
          <p>{t('present.noPurpose')}</p>
        )}
      </section>
      {consents.length > 0 ? <ConsentTerms consents={consents} /> : null}
      {plan.unanswered.length > 0 || plan.credentials.length === 0 ? (
        <>
          <ErrorMessage title={t('present.noMatch')}>
            <p>{t('present.noMatchDetail')}</p>
          </ErrorMessage>
          {error}
          <div className="actions">
            <button
              type="button"
              className="button"
              onClick={() => void decline()}
              disabled={Boolean(step.busy)}
            >
              {t('present.tellService')}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setStep({ name: 'input' })}
            >
              {t('present.leave')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(event) => void share(event)} aria-labelledby="wallet-consent-what">
          <h3 id="wallet-consent-what">{t('present.what')}</h3>
          {statement ? (
            <p className="consent__statement">
              <strong>
                {t(statement.over ? 'age.statementOver' : 'age.statementNotOver', { age: statement.age })}
              </strong>
            </p>
          ) : null}
          {plan.credentials.map((choice) => (
            <CredentialClaims
              key={choice.queryId}
              choice={choice}
              included={included[choice.queryId] !== false}
              selected={selected[choice.queryId] ?? new Set()}
              onInclude={(on) => setIncluded((current) => ({ ...current, [choice.queryId]: on }))}
              onToggle={(pointer, on) => toggle(choice.queryId, pointer, on)}
            />
          ))}
          <p>{t('present.nothingElse')}</p>
          {selectionProblem ? <ErrorMessage title={selectionProblem} focus /> : null}
          {error}
          {step.busy ? (
            <StatusMessage>
              {step.busy === 'sharing' ? t('present.sharing') : t('present.declining')}
            </StatusMessage>
          ) : null}
          <div className="actions">
            <button type="submit" className="button" disabled={Boolean(step.busy)}>
              {t('present.share')}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void decline()}
              disabled={Boolean(step.busy)}
            >
              {t('present.decline')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Who asks, for which child, for what: the verifier's signed transaction data, in plain words. */
function ConsentTerms({ consents }: { consents: readonly ParentalConsent[] }) {
  const { t } = useTranslation('wallet');
  return (
    <section aria-labelledby="wallet-consent-terms" className="consent__terms">
      <h3 id="wallet-consent-terms">{t('consent.heading')}</h3>
      {consents.map((consent) => (
        <dl className="record" key={`${consent.childGivenName} ${consent.consent}`}>
          {consent.service ? (
            <>
              <dt>{t('consent.service')}</dt>
              <dd>
                <bdi>{consent.service}</bdi>
              </dd>
            </>
          ) : null}
          <dt>{t('consent.child')}</dt>
          <dd>
            <bdi>{consent.childGivenName}</bdi>
          </dd>
          <dt>{t('consent.what')}</dt>
          <dd>
            <bdi>{consent.consent}</bdi>
          </dd>
        </dl>
      ))}
      <p className="field__hint">{t('consent.note')}</p>
    </section>
  );
}

/** Optional claims start ticked when they belong to the first acceptable claim set, else unticked. */
function defaultSelection(choice: CredentialChoice): string[] {
  const first = choice.claimSets[0];
  return choice.claims.filter((c) => c.required || !first || first.includes(c.pointer)).map((c) => c.pointer);
}

function CredentialClaims({
  choice,
  included,
  selected,
  onInclude,
  onToggle,
}: {
  choice: CredentialChoice;
  included: boolean;
  selected: ReadonlySet<string>;
  onInclude: (on: boolean) => void;
  onToggle: (pointer: string, on: boolean) => void;
}) {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const { credential } = choice;
  const name = credentialName(credential.display, credential.vct, language);
  const legendId = `consent-${choice.queryId}`;
  return (
    <fieldset className="consent__credential" aria-labelledby={legendId}>
      <legend id={legendId}>{t('present.fromCredential', { credential: name })}</legend>
      {choice.optional ? (
        <CheckboxField
          label={t('present.optionalCredential', { credential: name })}
          checked={included}
          onChange={(event) => onInclude(event.currentTarget.checked)}
        />
      ) : null}
      <ul className="consent__claims" aria-labelledby={legendId}>
        {choice.claims.map((claim) => {
          const label = claimLabel(credential.display, claim.path, t, language);
          const value = formatValue(claim.value, t, language);
          return (
            <li key={claim.pointer}>
              {claim.required ? (
                <span className="consent__claim">
                  <span className="consent__label">{label}</span>: <bdi>{value}</bdi>{' '}
                  <span className="badge">{t('present.requiredNote')}</span>
                </span>
              ) : (
                <CheckboxField
                  label={
                    <>
                      <span className="consent__label">{label}</span>: <bdi>{value}</bdi>
                    </>
                  }
                  checked={included && selected.has(claim.pointer)}
                  disabled={!included}
                  onChange={(event) => onToggle(claim.pointer, event.currentTarget.checked)}
                />
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
