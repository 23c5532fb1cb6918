import { useTranslation } from 'react-i18next';

export function HomePage() {
  const { t } = useTranslation('common');
  return (
    <>
      <h1>{t('home.heading')}</h1>
      <p>{t('home.intro')}</p>
      <ul className="card-list">
        {(['wallet', 'registrar', 'verifier'] as const).map((name) => (
          <li key={name} className="card">
            <h2>
              <a href={`/${name}`}>{t(`nav.${name}`)}</a>
            </h2>
            <p>{t(`home.${name}`)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
