import '../i18n/consoles';
import { useTranslation } from 'react-i18next';
import { checkRegistrarKey } from '../api/registry';
import { ApiKeyGate } from '../app/components/api-key-gate';
import { navigate, useLocation } from '../app/router';
import { CasesView } from './cases-view';
import { EnrolView } from './enrol-view';
import { FindView } from './find-view';

const SECTIONS = ['enrol', 'records', 'cases'] as const;
type Section = (typeof SECTIONS)[number];

/** /registrar: enrol, find and update records, the adjudication queue. */
export function RegistrarPage() {
  const { t } = useTranslation('consoles');
  return (
    <>
      <h1>{t('registrar.heading')}</h1>
      <ApiKeyGate storageKey="trieste.apiKey.registrar" role={t('roles.registrar')} check={checkRegistrarKey}>
        {(session) => <RegistrarConsole apiKey={session.apiKey} />}
      </ApiKeyGate>
    </>
  );
}

function RegistrarConsole({ apiKey }: { apiKey: string }) {
  const { t } = useTranslation('consoles');
  const { pathname, search } = useLocation();
  const section: Section = SECTIONS.find((name) => pathname.startsWith(`/registrar/${name}`)) ?? 'enrol';
  return (
    <>
      <nav aria-label={t('registrar.sections')} className="sub-nav">
        <ul>
          {SECTIONS.map((name) => (
            <li key={name}>
              <a
                href={`/registrar/${name}`}
                aria-current={section === name ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/registrar/${name}`);
                }}
              >
                {t(`registrar.section.${name}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'enrol' ? (
        <EnrolView apiKey={apiKey} />
      ) : section === 'records' ? (
        <FindView apiKey={apiKey} initialUin={new URLSearchParams(search).get('uin') ?? ''} />
      ) : (
        <CasesView apiKey={apiKey} />
      )}
    </>
  );
}
