import { type QrVerificationResult, verifyQrText } from '@trieste/core';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextAreaField } from '../app/components/fields';
import { ErrorMessage, StatusMessage } from '../app/components/messages';
import { useFormat } from '../app/format';
import { readQrFromFile, readQrFromVideo } from '../wallet/lib/read-qr';
import { ClaimsList } from './claims-list';
import {
  loadOfflineTrust,
  type OfflineTrust,
  OfflineTrustError,
  onlineStatusResolver,
} from './offline-trust';

type Outcome =
  | { kind: 'result'; result: QrVerificationResult; trust: OfflineTrust }
  | { kind: 'problem'; code: string };

/**
 * Offline QR codes (a paper ID's Claim 169 code, an EU DCC "HC1:", a wallet's offline SD-JWT
 * presentation), verified in this browser with core's verifyQrText against this jurisdiction's
 * trust list: from an uploaded image, the camera, or pasted text. Nothing is sent to the server
 * but the requests for the trust list and the operator keys.
 */
export function OfflineQrVerifier() {
  const { t } = useTranslation('consoles');
  const fileId = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [scanning, setScanning] = useState(false);
  const trust = useRef<{ at: number; value: OfflineTrust } | null>(null);

  const verify = async (qrText: string) => {
    setBusy(true);
    setOutcome(null);
    try {
      // The list is fetched once and reused for five minutes (its own max-age on the server).
      const started = Math.floor(Date.now() / 1000);
      if (!trust.current || started - trust.current.at > 300)
        trust.current = { at: started, value: await loadOfflineTrust() };
      const held = trust.current.value;
      const now = Math.floor(Date.now() / 1000);
      const result = await verifyQrText(qrText, held.material, {
        now,
        sdJwt: { status: onlineStatusResolver(held, now) },
      });
      setOutcome({ kind: 'result', result, trust: trust.current.value });
    } catch (error) {
      setOutcome({
        kind: 'problem',
        code: error instanceof OfflineTrustError ? error.code : 'VERIFY_FAILED',
      });
    } finally {
      setBusy(false);
    }
  };

  const fromFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    let decoded: string;
    try {
      decoded = await readQrFromFile(file);
    } catch {
      setBusy(false);
      setOutcome({ kind: 'problem', code: 'QR_NOT_FOUND' });
      return;
    }
    setText(decoded);
    await verify(decoded);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) void verify(text.trim());
  };

  return (
    <section aria-labelledby="offline-heading" className="offline-qr">
      <h2 id="offline-heading">{t('offline.heading')}</h2>
      <p>{t('offline.intro')}</p>
      <div className="field">
        <label htmlFor={fileId}>{t('offline.image')}</label>
        <p className="field__hint">{t('offline.imageHint')}</p>
        <input
          id={fileId}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          onChange={(event) => void fromFile(event.target.files?.[0])}
        />
      </div>
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={() => setScanning((on) => !on)}>
          {scanning ? t('offline.stopCamera') : t('offline.camera')}
        </button>
      </div>
      {scanning ? (
        <CameraScanner
          onFound={(found) => {
            setScanning(false);
            setText(found);
            void verify(found);
          }}
        />
      ) : null}
      <form onSubmit={submit} noValidate>
        <TextAreaField
          label={t('offline.text')}
          hint={t('offline.textHint')}
          className="mono"
          rows={4}
          spellCheck={false}
          dir="ltr"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={busy || !text.trim()}>
            {busy ? t('working') : t('offline.verify')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {outcome?.kind === 'problem' ? (
          <ErrorMessage
            title={t(`offline.problem.${outcome.code}`, { defaultValue: t('offline.problem.VERIFY_FAILED') })}
          />
        ) : null}
        {outcome?.kind === 'result' ? <QrResult result={outcome.result} trust={outcome.trust} /> : null}
      </div>
    </section>
  );
}

function QrResult({ result, trust }: { result: QrVerificationResult; trust: OfflineTrust }) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const failed = result.steps.find((step) => !step.ok);
  return (
    <article className="panel" aria-labelledby="qr-result-heading">
      <h3 id="qr-result-heading">{result.valid ? t('offline.valid') : t('offline.invalid')}</h3>
      {result.valid ? (
        <StatusMessage
          tone="success"
          title={t('offline.validHelp', { kind: t(`offline.kinds.${result.kind}`) })}
        />
      ) : (
        <ErrorMessage
          title={t(`reasons.${result.code ?? 'unknown'}`, { defaultValue: t('reasons.unknown') })}
        >
          {failed ? (
            <p>
              {t('offline.failedAt', { step: t(`offline.steps.${failed.step}`), code: failed.code ?? '' })}
            </p>
          ) : null}
        </ErrorMessage>
      )}
      <dl className="record">
        <dt>{t('offline.kind')}</dt>
        <dd>{t(`offline.kinds.${result.kind}`)}</dd>
        {result.issuer ? (
          <>
            <dt>{t('verifier.issuer')}</dt>
            <dd className="mono">{result.issuer}</dd>
          </>
        ) : null}
        {result.signer?.label ? (
          <>
            <dt>{t('verifier.vouchedBy')}</dt>
            <dd>{result.signer.label}</dd>
          </>
        ) : null}
        <dt>{t('offline.trustList')}</dt>
        <dd>
          {t('offline.trustListText', {
            jurisdiction: trust.list.jurisdiction,
            operator: trust.list.operator,
            version: trust.list.sequenceNumber,
            fetched: format.dateTime(trust.list.fetchedAt),
          })}
        </dd>
        {result.issuedAt ? (
          <>
            <dt>{t('verifier.issuedAt')}</dt>
            <dd>{format.dateTime(result.issuedAt)}</dd>
          </>
        ) : null}
        {result.validUntil ? (
          <>
            <dt>{t('verifier.expiresAt')}</dt>
            <dd>{format.dateTime(result.validUntil)}</dd>
          </>
        ) : null}
      </dl>
      {result.claims ? (
        <>
          <h4>{t('offline.claims')}</h4>
          <ClaimsList claims={result.claims} />
        </>
      ) : null}
      <h4>{t('offline.checks')}</h4>
      <ol className="steps">
        {result.steps.map((step) => (
          <li key={step.step} className={step.ok ? 'ok' : 'failed'}>
            {step.ok ? '✓ ' : '✗ '}
            {t(`offline.steps.${step.step}`)}
            {step.ok ? '' : ` — ${step.code ?? ''}`}
          </li>
        ))}
      </ol>
    </article>
  );
}

/** The camera, read a few times a second until a QR code is seen; stopped when unmounted. */
function CameraScanner({ onFound }: { onFound: (text: string) => void }) {
  const { t } = useTranslation('consoles');
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState(false);
  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let live = true;
    const tick = async () => {
      if (!live || !video.current) return;
      const found = await readQrFromVideo(video.current).catch(() => undefined);
      if (found && live) onFound(found);
      else if (live) timer = window.setTimeout(() => void tick(), 250);
    };
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
        if (!live || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        void tick();
      } catch {
        if (live) setProblem(true);
      }
    })();
    return () => {
      live = false;
      window.clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [onFound]);
  return problem ? (
    <ErrorMessage title={t('offline.cameraUnavailable')} />
  ) : (
    <video ref={video} className="scanner" muted playsInline aria-label={t('offline.cameraPreview')} />
  );
}
