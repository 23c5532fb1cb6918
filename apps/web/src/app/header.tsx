import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from './components/language-switcher';
import type { Area } from './router';

const AREAS = ['wallet', 'registrar', 'verifier'] as const;

export function Header({ area }: { area: Area }) {
  const { t } = useTranslation('common');
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <a className="brand" href="/">
          {t('brand')}
        </a>
        <nav aria-label={t('nav.label')} className="site-nav">
          <ul>
            {AREAS.map((name) => (
              <li key={name}>
                <a href={`/${name}`} aria-current={area === name ? 'page' : undefined}>
                  {t(`nav.${name}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <LanguageSwitcher />
      </div>
    </header>
  );
}
