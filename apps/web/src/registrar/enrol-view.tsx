import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Enrolment, enrolPerson, type PersonRecord } from '../api/registry';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';
import { TextField } from '../app/components/fields';
import { FocusHeading, StatusMessage } from '../app/components/messages';
import { navigate } from '../app/router';
import { fieldErrorsOf, PersonForm } from './person-form';
import { RecordView } from './record-view';

/** Enrolment: the form, then the registry's deduplication outcome (created, duplicate, review). */
export function EnrolView({ apiKey }: { apiKey: string }) {
  const { t } = useTranslation('consoles');
  const [office, setOffice] = useState(() => sessionStorage.getItem('trieste.registrar.office') ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [outcome, setOutcome] = useState<Enrolment | null>(null);
  const [person, setPerson] = useState<PersonRecord | null>(null);
  const [formKey, setFormKey] = useState(0);

  if (outcome) {
    const again = () => {
      setOutcome(null);
      setPerson(null);
      setFailure(null);
      setFormKey((n) => n + 1);
    };
    return (
      <section aria-labelledby="enrol-outcome">
        <FocusHeading id="enrol-outcome">{t(`enrol.outcome.${outcome.outcome}`)}</FocusHeading>
        <EnrolmentOutcome outcome={outcome} />
        {outcome.outcome === 'created' && person ? (
          <RecordView apiKey={apiKey} person={person} onChange={setPerson} headingLevel={3} />
        ) : null}
        <div className="actions">
          <button type="button" className="button button--secondary" onClick={again}>
            {t('enrol.another')}
          </button>
        </div>
      </section>
    );
  }

  const submit = async (data: Parameters<typeof enrolPerson>[1]) => {
    setBusy(true);
    setFailure(null);
    sessionStorage.setItem('trieste.registrar.office', office.trim());
    const result = await enrolPerson(apiKey, data, office.trim());
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setOutcome(result.data);
    if (result.data.outcome !== 'duplicate') setPerson(result.data.person);
  };

  const fieldErrors = failure?.error === 'PERSON_INVALID' ? fieldErrorsOf(failure.description) : undefined;
  return (
    <section aria-labelledby="enrol-heading">
      <h2 id="enrol-heading">{t('enrol.heading')}</h2>
      <p>{t('enrol.intro')}</p>
      {failure ? <ApiErrorMessage failure={failure} title={t('enrol.failed')} /> : null}
      <PersonForm
        key={formKey}
        submitLabel={t('enrol.submit')}
        busy={busy}
        {...(fieldErrors ? { serverFieldErrors: fieldErrors } : {})}
        validateExtra={(): Record<string, string> =>
          office.trim() ? {} : { office: t('enrol.officeRequired') }
        }
        extra={(errors, idOf) => (
          <TextField
            id={idOf('office')}
            label={t('enrol.office')}
            hint={t('enrol.officeHint')}
            value={office}
            required
            error={errors['office']}
            onChange={(event) => setOffice(event.target.value)}
          />
        )}
        onSubmit={(data) => void submit(data)}
      />
    </section>
  );
}

function EnrolmentOutcome({ outcome }: { outcome: Enrolment }) {
  const { t } = useTranslation('consoles');
  let body: ReactNode;
  if (outcome.outcome === 'created') {
    body = (
      <StatusMessage tone="success" title={t('enrol.created', { uin: outcome.person.uin ?? '' })}>
        <p>{t('enrol.createdHelp')}</p>
      </StatusMessage>
    );
  } else if (outcome.outcome === 'duplicate') {
    body = (
      <StatusMessage tone="warning" title={t('enrol.duplicate')}>
        <dl className="record">
          <dt>{t('record.uin')}</dt>
          <dd className="ltr">{outcome.match.uin ?? t('record.noUin')}</dd>
          <dt>{t('record.id')}</dt>
          <dd className="mono">{outcome.match.person_id}</dd>
          <dt>{t('enrol.score')}</dt>
          <dd>{outcome.match.score}</dd>
        </dl>
        <p>{t('enrol.duplicateHelp')}</p>
        {outcome.match.uin ? (
          <p>
            <a
              href={`/registrar/records?uin=${encodeURIComponent(outcome.match.uin)}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(`/registrar/records?uin=${encodeURIComponent(outcome.match.uin!)}`);
              }}
            >
              {t('enrol.openExisting')}
            </a>
          </p>
        ) : null}
      </StatusMessage>
    );
  } else {
    body = (
      <StatusMessage tone="warning" title={t('enrol.review', { caseId: outcome.case_id })}>
        <p>{t('enrol.reviewHelp')}</p>
        <dl className="record">
          <dt>{t('enrol.caseId')}</dt>
          <dd className="mono">{outcome.case_id}</dd>
          <dt>{t('record.id')}</dt>
          <dd className="mono">{outcome.person.id}</dd>
        </dl>
        <h3>{t('enrol.candidates')}</h3>
        <ul>
          {outcome.candidates.map((candidate) => (
            <li key={candidate.person_id}>
              <span className="mono">{candidate.uin ?? candidate.person_id}</span> —{' '}
              {t('enrol.scoreOf', { score: candidate.score })}
            </li>
          ))}
        </ul>
      </StatusMessage>
    );
  }
  return body;
}
