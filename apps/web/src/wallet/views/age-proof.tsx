import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RadioGroup } from '../../app/components/fields';
import { ErrorMessage, FocusHeading, StatusMessage } from '../../app/components/messages';
import { QrCode } from '../components/qr-code';
import { credentialName, formatTime } from '../display';
import { agePool, ageThresholds, pickAgeCredential } from '../lib/age-pool';
import {
  buildOfflinePresentation,
  OFFLINE_AUDIENCE_PREFIX,
  type OfflinePresentation,
} from '../lib/offline-presentation';
import { newId, type StoredCredential, walletClock, walletStore } from '../lib/wallet-db';
import { walletErrorCode } from '../lib/wallet-error';

/**
 * "Show a proof of age", offline: the holder chooses an age; the wallet takes one unused
 * single-use proof of age, builds a presentation disclosing only `age_equal_or_over/<N>` (true or
 * false, as issued) with a KB-JWT, shows it as a QR code, and counts it as used at once — a venue
 * that kept the picture cannot link it to the next one.
 */
export function AgeProofSection({
  credentials,
  onUsed,
}: {
  credentials: readonly StoredCredential[];
  onUsed: () => void;
}) {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const now = walletClock.now();
  const pool = agePool(credentials, now);
  const ages = ageThresholds(pool);
  const [age, setAge] = useState<string>('');
  const [problem, setProblem] = useState<string>();
  const [shown, setShown] = useState<{
    presentation: OfflinePresentation;
    age: number;
    over: boolean;
    left: number;
  }>();

  if (shown) {
    return (
      <section aria-labelledby="wallet-age-qr" className="printable wallet-offline">
        <FocusHeading id="wallet-age-qr">{t('age.qrHeading', { age: shown.age })}</FocusHeading>
        <QrCode
          text={shown.presentation.text}
          label={t(shown.over ? 'age.qrLabelOver' : 'age.qrLabelNotOver', { age: shown.age })}
        />
        <p>
          <strong>{t(shown.over ? 'age.statementOver' : 'age.statementNotOver', { age: shown.age })}</strong>
        </p>
        <p>
          {t('offlineQr.createdAt')}: {formatTime(shown.presentation.createdAt, language)}
        </p>
        <StatusMessage>{t('age.usedUp', { count: shown.left })}</StatusMessage>
        <div className="actions no-print">
          <button type="button" className="button button--secondary" onClick={() => setShown(undefined)}>
            {t('age.done')}
          </button>
        </div>
      </section>
    );
  }

  if (pool.length === 0) return null;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (age === '') {
      setProblem('chooseAge');
      return;
    }
    const n = Number(age);
    const credential = pickAgeCredential(credentials, n, walletClock.now());
    if (!credential) {
      setProblem('NO_MATCHING_CREDENTIAL');
      return;
    }
    const ages = credential.claims['age_equal_or_over'] as Record<string, unknown>;
    const over = ages[age] === true;
    const pointer = `/age_equal_or_over/${age}`;
    const at = walletClock.now();
    try {
      const presentation = await buildOfflinePresentation(credential, [pointer], {
        audience: `${OFFLINE_AUDIENCE_PREFIX}any`,
        now: at,
      });
      // Used from the moment it is on screen: it is never shown again.
      await walletStore.putCredential({ ...credential, usedAt: at });
      await walletStore
        .addReceipt({
          id: newId(),
          at,
          kind: 'offline',
          outcome: 'shared',
          audience: presentation.audience,
          claims: [
            {
              credentialId: credential.id,
              credentialName: credentialName(credential.display, credential.vct, language),
              path: ['age_equal_or_over', age],
              label: t('age.claimLabel', { age: n }),
            },
          ],
        })
        .catch(() => undefined);
      setShown({ presentation, age: n, over, left: pool.length - 1 });
      onUsed();
    } catch (error) {
      setProblem(walletErrorCode(error));
    }
  };

  return (
    <section aria-labelledby="wallet-age-proof">
      <h2 id="wallet-age-proof">{t('age.showHeading')}</h2>
      <p>{t('age.showIntro', { count: pool.length })}</p>
      <form onSubmit={(event) => void create(event)} noValidate>
        <RadioGroup
          legend={t('age.chooseAge')}
          name="age-threshold"
          value={age}
          options={ages.map((n) => ({ value: String(n), label: t('age.overOption', { age: n }) }))}
          onChange={setAge}
          error={problem === 'chooseAge' ? t('age.chooseAgeMissing') : undefined}
        />
        {problem && problem !== 'chooseAge' ? <ErrorMessage title={t(`errors.${problem}`)} focus /> : null}
        <div className="actions">
          <button type="submit" className="button">
            {t('age.showButton')}
          </button>
        </div>
      </form>
    </section>
  );
}
