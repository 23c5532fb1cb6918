import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../app/router';

export type WalletView = 'credentials' | 'receive' | 'present' | 'offline' | 'history';

export const WALLET_PATHS: Record<WalletView, string> = {
  credentials: '/wallet',
  receive: '/wallet/receive',
  present: '/wallet/share',
  offline: '/wallet/offline',
  history: '/wallet/history',
};

export function walletPath(view: WalletView): string {
  return WALLET_PATHS[view];
}

/** An in-app link: a plain <a href> that moves without a reload (the server serves every path too). */
export function WalletLink({
  to,
  children,
  current,
}: {
  to: string;
  children: ReactNode;
  current?: boolean;
}) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
