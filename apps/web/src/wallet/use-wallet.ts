import { useCallback, useEffect, useState } from 'react';
import { type StoredCredential, walletStore } from './lib/wallet-db';
import { type WalletErrorCode, walletErrorCode } from './lib/wallet-error';

/** The credentials on this device, read from IndexedDB; `reload` after a change. */
export function useCredentials(): {
  credentials: StoredCredential[] | undefined;
  problem: WalletErrorCode | undefined;
  reload: () => void;
} {
  const [credentials, setCredentials] = useState<StoredCredential[]>();
  const [problem, setProblem] = useState<WalletErrorCode>();
  const reload = useCallback(() => {
    walletStore.credentials().then(
      (list) => {
        setCredentials(list);
        setProblem(undefined);
      },
      (error: unknown) => {
        setCredentials([]);
        setProblem(walletErrorCode(error));
      },
    );
  }, []);
  useEffect(reload, [reload]);
  return { credentials, problem, reload };
}

/** Whether the browser says it has a network. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** The wallet's service worker (vite-plugin-pwa, generateSW): /wallet-sw.js, scope /wallet. */
export const SERVICE_WORKER_URL = '/wallet-sw.js';
export const SERVICE_WORKER_SCOPE = '/wallet';

/**
 * Registers the service worker that precaches the app shell (the wallet then opens and works
 * without a network) and says when it controls this page. Only the built app has one.
 */
export function useServiceWorker(): boolean {
  const [ready, setReady] = useState(
    () => typeof navigator !== 'undefined' && Boolean(navigator.serviceWorker?.controller),
  );
  useEffect(() => {
    const container = navigator.serviceWorker;
    if (!container || !import.meta.env.PROD) return;
    const update = () => setReady(Boolean(container.controller));
    container.addEventListener('controllerchange', update);
    container
      .register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE })
      .then(update, () => setReady(false));
    return () => container.removeEventListener('controllerchange', update);
  }, []);
  return ready;
}
