import { useTranslation } from 'react-i18next';
import { StatusMessage } from '../app/components/messages';
import { useLocation } from '../app/router';
import { useOnline, useServiceWorker } from './use-wallet';
import { CredentialsView } from './views/credentials-view';
import { HistoryView } from './views/history-view';
import { OfflineView } from './views/offline-view';
import { PresentView } from './views/present-view';
import { ReceiveView } from './views/receive-view';
import { WALLET_PATHS as PATHS, WalletLink, type WalletView } from './wallet-link';
import './wallet.css';

function viewOf(pathname: string, search: URLSearchParams): WalletView {
  // A same-device link opens the wallet with the offer or request in the query.
  if (search.has('offer') || search.has('credential_offer_uri') || search.has('credential_offer'))
    return 'receive';
  if (search.has('request') || search.has('request_uri')) return 'present';
  const path = pathname.replace(/\/+$/, '');
  const found = (Object.entries(PATHS) as Array<[WalletView, string]>).find(([, p]) => p === path);
  return found ? found[0] : 'credentials';
}

/** The link the page was opened with (`?offer=<link>`, `?request=<link>`, or the bare parameters). */
function linkOf(search: URLSearchParams): string | undefined {
  const nested = search.get('offer') ?? search.get('request');
  if (nested) return nested;
  if (search.has('credential_offer_uri') || search.has('credential_offer'))
    return `openid-credential-offer://?${search}`;
  if (search.has('request_uri')) return `openid4vp://?${search}`;
  return undefined;
}

/** The wallet (/wallet): credentials, receive, share, offline QR code and history. */
export function WalletPage() {
  const { t } = useTranslation('wallet');
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const view = viewOf(pathname, params);
  const initialLink = linkOf(params);
  const online = useOnline();
  const offlineReady = useServiceWorker();

  return (
    <div className="wallet">
      <h1>{t('heading')}</h1>
      <p>{t('intro')}</p>
      <nav className="sub-nav" aria-label={t('nav.label')}>
        <ul>
          {(Object.keys(PATHS) as WalletView[]).map((name) => (
            <li key={name}>
              <WalletLink to={PATHS[name]} current={view === name}>
                {t(`nav.${name}`)}
              </WalletLink>
            </li>
          ))}
        </ul>
      </nav>
      {!online ? (
        <StatusMessage tone="warning">{t('offline.offline')}</StatusMessage>
      ) : offlineReady ? (
        <p className="wallet__offline-ready no-print">{t('offline.ready')}</p>
      ) : null}
      {view === 'receive' ? (
        <ReceiveView key={initialLink ?? 'receive'} initialLink={initialLink} />
      ) : view === 'present' ? (
        <PresentView key={initialLink ?? 'present'} initialLink={initialLink} />
      ) : view === 'offline' ? (
        <OfflineView />
      ) : view === 'history' ? (
        <HistoryView />
      ) : (
        <CredentialsView />
      )}
    </div>
  );
}
