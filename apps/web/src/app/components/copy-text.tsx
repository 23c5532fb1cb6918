import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A read-only text (a link, a code) with a copy button; the text stays selectable by hand. */
export function CopyText({
  label,
  value,
  monospace = true,
}: {
  label: string;
  value: string;
  monospace?: boolean;
}) {
  const { t } = useTranslation('common');
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 3000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="field copy-text">
      <label htmlFor={id}>{label}</label>
      <div className="copy-text__row">
        <input
          id={id}
          type="text"
          readOnly
          value={value}
          className={monospace ? 'mono' : undefined}
          onFocus={(event) => event.currentTarget.select()}
          dir="ltr"
        />
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          {t('copy')}
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {copied ? t('copied') : ''}
      </p>
    </div>
  );
}
