import { describe, expect, it } from 'vitest';

// The message files as the app loads them (index.ts uses import.meta.glob too).
const files = import.meta.glob<Messages>('./*/*.json', { eager: true, import: 'default' });
const file = (language: string, namespace: string): Messages => {
  const found = files[`./${language}/${namespace}.json`];
  if (!found) throw new Error(`no ${language}/${namespace}.json`);
  return found;
};

type Messages = { [key: string]: string | Messages };

/** Every message key, plural forms (CLDR: zero … other, by language) counted as one key. */
function keys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [`${prefix}${key}`.replace(/_(zero|one|two|few|many|other)$/, '')]
      : keys(value, `${prefix}${key}.`),
  );
}

/** `{{name}}` placeholders of every message, by key (a translation must use the same ones). */
function placeholders(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value !== 'string') {
      for (const [k, v] of placeholders(value, `${prefix}${key}.`)) out.set(k, v);
      continue;
    }
    const names = [...value.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const id = `${prefix}${key}`.replace(/_(zero|one|two|few|many|other)$/, '');
    // Plural forms may drop {{count}} ("one credential"): only other names must match.
    const kept = names.filter((n) => n !== 'count').join(',');
    out.set(
      id,
      [...new Set([...(out.get(id)?.split(',') ?? []), ...kept.split(',')])].filter(Boolean).sort().join(','),
    );
  }
  return out;
}

describe('the four languages', () => {
  for (const namespace of ['common', 'consoles', 'wallet']) {
    it(`have the same ${namespace} messages as English, with the same placeholders`, () => {
      const english = new Set(keys(file('en', namespace)));
      const englishNames = placeholders(file('en', namespace));
      for (const language of ['fr', 'es', 'ar']) {
        const other = file(language, namespace);
        expect(new Set(keys(other)), `${language}/${namespace}.json`).toEqual(english);
        expect(placeholders(other), `${language}/${namespace}.json placeholders`).toEqual(englishNames);
      }
    });
  }
});
