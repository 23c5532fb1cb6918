import type { JsonValue } from '@trieste/core';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { claimLabel, claimRows, formatValue } from '../display';
import type { CredentialDisplay } from '../lib/wallet-db';

/** A credential's claims as a description list (label, value), in the holder's language. */
export function ClaimList({
  claims,
  display,
}: {
  claims: Record<string, JsonValue>;
  display?: CredentialDisplay;
}) {
  const { t, i18n } = useTranslation('wallet');
  const language = i18n.resolvedLanguage ?? i18n.language;
  return (
    <dl className="record">
      {claimRows(claims, display).map(({ path, value }) => (
        <Fragment key={path.join('/')}>
          <dt>{claimLabel(display, path, t, language)}</dt>
          <dd>
            <bdi>{formatValue(value, t, language)}</bdi>
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}
