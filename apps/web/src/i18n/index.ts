import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

/** The interface languages, in the order the switcher lists them; Arabic is written right to left. */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
  { code: 'ar', name: 'العربية' },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const NAMESPACES = ['common', 'consoles', 'wallet'] as const;
export type Namespace = (typeof NAMESPACES)[number];

const STORAGE_KEY = 'trieste.language';

// Message files are bundled (the wallet must speak every language offline). `common` and `wallet`
// are loaded with the shell; `consoles` only by the console pages (addConsoleMessages), so the
// wallet's initial JavaScript does not carry the consoles' strings.
const eager = import.meta.glob<Record<string, unknown>>(['./*/common.json', './*/wallet.json'], {
  eager: true,
  import: 'default',
});

function resourcesOf(files: Record<string, Record<string, unknown>>): Resource {
  const resources: Resource = {};
  for (const [path, messages] of Object.entries(files)) {
    const match = /^\.\/([a-z]{2})\/([a-z]+)\.json$/.exec(path);
    if (!match) continue;
    const [, language, namespace] = match as unknown as [string, string, string];
    resources[language] ??= {};
    resources[language][namespace] = messages;
  }
  return resources;
}

const isLanguage = (value: string | null | undefined): value is LanguageCode =>
  LANGUAGES.some((language) => language.code === value);

/** The stored choice, else the first of the browser's languages we have, else English. */
function initialLanguage(): LanguageCode {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be disabled (private modes): the browser's languages decide.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag?.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** `<html lang dir>` follow the language, so screen readers and the CSS logical properties do. */
function applyToDocument(language: string): void {
  const root = document.documentElement;
  root.lang = language;
  root.dir = i18next.dir(language);
}

export function initI18n(): I18n {
  if (i18next.isInitialized) return i18next;
  void i18next.use(initReactI18next).init({
    resources: resourcesOf(eager),
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: LANGUAGES.map((language) => language.code),
    ns: ['common', 'wallet'],
    defaultNS: 'common',
    fallbackNS: 'common',
    // React escapes what it renders; escaping here too would show entities.
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  applyToDocument(i18next.language);
  i18next.on('languageChanged', (language) => {
    applyToDocument(language);
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Not remembered: the choice still holds for this page.
    }
  });
  return i18next;
}

/** Switches the interface language at once (every mounted component re-renders). */
export function setLanguage(language: LanguageCode): Promise<unknown> {
  return i18next.changeLanguage(language);
}

/** Adds the `consoles` namespace (registrar and verifier pages). */
export function addConsoleMessages(files: Record<string, Record<string, unknown>>): void {
  for (const [language, namespaces] of Object.entries(resourcesOf(files))) {
    for (const [namespace, messages] of Object.entries(namespaces)) {
      if (!i18next.hasResourceBundle(language, namespace)) {
        i18next.addResourceBundle(language, namespace, messages, true, true);
      }
    }
  }
}

export { i18next };
