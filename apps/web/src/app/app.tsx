import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { WalletPage } from '../wallet/wallet-page';
import { Header } from './header';
import { HomePage } from './home-page';
import { type Area, areaOf, useLocation } from './router';

// The wallet is the page most people open, often on a slow network: it is in the entry chunk. The
// consoles load on demand, so their code never counts against the wallet's budget.
const RegistrarPage = lazy(() =>
  import('../registrar/registrar-page').then((module) => ({ default: module.RegistrarPage })),
);
const VerifierPage = lazy(() =>
  import('../verifier/verifier-page').then((module) => ({ default: module.VerifierPage })),
);

const TITLE_KEYS: Record<Area, string> = {
  wallet: 'title.wallet',
  registrar: 'title.registrar',
  verifier: 'title.verifier',
  home: 'title.home',
};

export function App() {
  const { pathname } = useLocation();
  const area = areaOf(pathname);
  const { t } = useTranslation('common');

  useEffect(() => {
    document.title = `${t(TITLE_KEYS[area])} — Trieste`;
  }, [area, t]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <Header area={area} />
      <main id="main" tabIndex={-1} className={`area-${area}`}>
        <Suspense
          fallback={
            <p role="status" className="loading">
              {t('loading')}
            </p>
          }
        >
          {area === 'wallet' ? (
            <WalletPage />
          ) : area === 'registrar' ? (
            <RegistrarPage />
          ) : area === 'verifier' ? (
            <VerifierPage />
          ) : (
            <HomePage />
          )}
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>{t('footer')}</p>
      </footer>
    </>
  );
}
