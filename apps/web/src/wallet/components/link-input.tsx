import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, StatusMessage } from '../../app/components/messages';
import { openCamera, readQrFromFile, readQrFromVideo } from '../lib/read-qr';
import { walletErrorCode } from '../lib/wallet-error';

/** How often a camera frame is searched for a QR code (ms): enough to feel instant, light on a phone. */
const SCAN_INTERVAL_MS = 250;

/**
 * Three ways to hand the wallet a link: the camera (BarcodeDetector where the browser has one,
 * jsQR otherwise), a picture of the QR code, or a pasted link. Each ends in `onLink(text)`.
 */
export function LinkInput({
  hint,
  initial = '',
  onLink,
  busy,
}: {
  hint: string;
  initial?: string;
  onLink: (text: string) => void;
  busy: boolean;
}) {
  const { t } = useTranslation('wallet');
  const [link, setLink] = useState(initial);
  const [scanning, setScanning] = useState(false);
  const [reading, setReading] = useState(false);
  const [problem, setProblem] = useState<string>();
  const videoRef = useRef<HTMLVideoElement>(null);
  // The latest callback, without restarting the camera when the parent re-renders.
  const onLinkRef = useRef(onLink);
  onLinkRef.current = onLink;
  const fileId = useId();
  const fileHintId = useId();
  const linkId = useId();
  const linkHintId = useId();

  useEffect(() => {
    if (!scanning) return;
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let stopped = false;
    const stop = () => {
      stopped = true;
      if (timer !== undefined) window.clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    void (async () => {
      try {
        stream = await openCamera();
        if (stopped) return stop();
        const video = videoRef.current;
        if (!video) return stop();
        video.srcObject = stream;
        await video.play();
        const tick = async () => {
          if (stopped) return;
          const text = await readQrFromVideo(video).catch(() => undefined);
          if (stopped) return;
          if (text) {
            stop();
            setScanning(false);
            setLink(text);
            onLinkRef.current(text);
            return;
          }
          timer = window.setTimeout(() => void tick(), SCAN_INTERVAL_MS);
        };
        void tick();
      } catch (error) {
        stop();
        setScanning(false);
        setProblem(walletErrorCode(error));
      }
    })();
    return stop;
  }, [scanning]);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setProblem(undefined);
    setReading(true);
    try {
      const text = await readQrFromFile(file);
      setLink(text);
      onLink(text);
    } catch (error) {
      setProblem(walletErrorCode(error));
    } finally {
      setReading(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (link.trim() !== '') onLink(link.trim());
  };

  return (
    <>
      <section aria-labelledby={`${fileId}-scan`}>
        <h3 id={`${fileId}-scan`}>{t('input.scanHeading')}</h3>
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setScanning((on) => !on)}
            disabled={busy}
          >
            {scanning ? t('input.stopCamera') : t('input.camera')}
          </button>
        </div>
        {scanning ? (
          <>
            <video ref={videoRef} className="scanner" muted playsInline aria-label={t('input.cameraLabel')} />
            <p role="status">{t('input.looking')}</p>
          </>
        ) : null}
        <div className="field">
          <label htmlFor={fileId}>{t('input.file')}</label>
          <p className="field__hint" id={fileHintId}>
            {t('input.fileHint')}
          </p>
          <input
            id={fileId}
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif"
            aria-describedby={fileHintId}
            disabled={busy || reading}
            onChange={(event) => void onFile(event.currentTarget.files?.[0])}
          />
        </div>
        {reading ? <StatusMessage>{t('input.reading')}</StatusMessage> : null}
      </section>
      <form onSubmit={submit} aria-labelledby={`${linkId}-heading`}>
        <h3 id={`${linkId}-heading`}>{t('input.pasteHeading')}</h3>
        <div className="field">
          <label htmlFor={linkId}>{t('input.link')}</label>
          <p className="field__hint" id={linkHintId}>
            {hint}
          </p>
          <input
            id={linkId}
            type="text"
            className="mono"
            dir="ltr"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={linkHintId}
            value={link}
            onChange={(event) => setLink(event.target.value)}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {t('input.continue')}
          </button>
        </div>
      </form>
      {problem ? <ErrorMessage title={t(`errors.${problem}`)} focus /> : null}
    </>
  );
}
