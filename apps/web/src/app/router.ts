import { useEffect, useState } from 'react';

/** The three applications, each under its own path prefix (the server serves the shell under each). */
export type Area = 'wallet' | 'registrar' | 'verifier' | 'home';

export function areaOf(pathname: string): Area {
  const first = pathname.split('/')[1] ?? '';
  return first === 'wallet' || first === 'registrar' || first === 'verifier' ? first : 'home';
}

const listeners = new Set<() => void>();

/** Moves to another path of the same application without a reload (history.pushState). */
export function navigate(to: string): void {
  if (to === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

/** The current location; re-renders on navigate() and on the browser's back and forward. */
const read = () => ({ pathname: window.location.pathname, search: window.location.search });

export function useLocation(): { pathname: string; search: string } {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}
