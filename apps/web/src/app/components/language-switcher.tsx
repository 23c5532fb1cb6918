import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type LanguageCode, setLanguage } from '../../i18n/index';

/** A native select: keyboard and screen-reader behaviour come with it. Each name is in its own language. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation('common');
  const id = useId();
  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('language')}</label>
      <select
        id={id}
        value={i18n.resolvedLanguage ?? i18n.language}
        onChange={(event) => void setLanguage(event.target.value as LanguageCode)}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.name}
          </option>
        ))}
      </select>
    </div>
  );
}
