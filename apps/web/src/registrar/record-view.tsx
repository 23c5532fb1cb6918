import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  changePersonState,
  type PersonData,
  type PersonRecord,
  recordDeath,
  updatePerson,
} from '../api/registry';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';
import { TextField } from '../app/components/fields';
import { FocusHeading, StatusMessage } from '../app/components/messages';
import { useFormat } from '../app/format';
import { OfferReceipt } from './offer-receipt';
import { PaperIdDownload } from './paper-id';
import {
  type DateFields,
  DateFieldset,
  EMPTY_DATE,
  fieldErrorsOf,
  PersonForm,
  partialDateOf,
  validateDate,
} from './person-form';

/** A record as the registrar sees it, and what may be done with it in its state. */
export function RecordView({
  apiKey,
  person,
  onChange,
  headingLevel = 2,
}: {
  apiKey: string;
  person: PersonRecord;
  onChange: (person: PersonRecord) => void;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation('consoles');
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const H2 = headingLevel === 2 ? 'h3' : 'h4';
  const changed = (next: PersonRecord, message: string) => {
    onChange(next);
    setNotice(message);
    setEditing(false);
  };
  return (
    <article className="panel record-view" aria-labelledby={`record-${person.id}`}>
      <H id={`record-${person.id}`}>{t('record.heading', { name: displayName(person.data) })}</H>
      {notice ? <StatusMessage tone="success" title={notice} /> : null}
      <PersonSummary person={person} />
      {editing ? (
        <EditRecord apiKey={apiKey} person={person} onDone={changed} onCancel={() => setEditing(false)} />
      ) : (
        <>
          {person.state === 'active' ? (
            <>
              <section>
                <H2>{t('offer.heading')}</H2>
                <OfferReceipt apiKey={apiKey} person={person} />
              </section>
              <section>
                <H2>{t('paperId.heading')}</H2>
                <PaperIdDownload apiKey={apiKey} person={person} />
              </section>
            </>
          ) : null}
          {person.state === 'active' || person.state === 'deactivated' || person.state === 'pending' ? (
            <div className="actions">
              <button type="button" className="button button--secondary" onClick={() => setEditing(true)}>
                {t('record.edit')}
              </button>
            </div>
          ) : null}
          {person.state === 'active' ? (
            <ReasonAction
              apiKey={apiKey}
              person={person}
              kind="deactivate"
              headingLevel={H2}
              onDone={(next) => changed(next, t('record.deactivated'))}
            />
          ) : null}
          {person.state === 'deactivated' ? (
            <ReasonAction
              apiKey={apiKey}
              person={person}
              kind="reactivate"
              headingLevel={H2}
              onDone={(next) => changed(next, t('record.reactivated'))}
            />
          ) : null}
          {person.state === 'active' || person.state === 'deactivated' ? (
            <ReasonAction
              apiKey={apiKey}
              person={person}
              kind="death"
              headingLevel={H2}
              onDone={(next) => changed(next, t('record.deathRecorded'))}
            />
          ) : null}
        </>
      )}
    </article>
  );
}

export function displayName(data: PersonData): string {
  const name = data.names.find((n) => n.script === 'Latn') ?? data.names[0];
  return name ? [name.given, name.middle, name.family].filter(Boolean).join(' ') : '';
}

export function PersonSummary({ person }: { person: PersonRecord }) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const { data } = person;
  const tone = person.state === 'active' ? 'success' : person.state === 'pending' ? 'warning' : 'error';
  return (
    <dl className="record">
      <dt>{t('record.uin')}</dt>
      <dd className="ltr">{person.uin ?? t('record.noUin')}</dd>
      <dt>{t('record.state')}</dt>
      <dd>
        <span className={`badge badge--${tone}`}>{t(`record.states.${person.state}`)}</span>
      </dd>
      {data.names.map((name) => (
        <NameRow
          key={name.script}
          script={name.script}
          text={[name.given, name.middle, name.family].filter(Boolean).join(' ')}
        />
      ))}
      {data.dateOfBirth ? (
        <>
          <dt>{t('person.dateOfBirth')}</dt>
          <dd>
            <span className="ltr">{data.dateOfBirth.value}</span>
            {data.dateOfBirth.estimated ? ` (${t('person.estimatedShort')})` : ''}
          </dd>
        </>
      ) : null}
      {data.sex ? (
        <>
          <dt>{t('person.sex')}</dt>
          <dd>{t(`person.sexes.${data.sex}`)}</dd>
        </>
      ) : null}
      {data.placeOfBirth ? (
        <>
          <dt>{t('person.placeOfBirth')}</dt>
          <dd>
            {[
              data.placeOfBirth.locality,
              data.placeOfBirth.country ? format.country(data.placeOfBirth.country) : undefined,
            ]
              .filter(Boolean)
              .join(', ')}
          </dd>
        </>
      ) : null}
      {data.nationality?.length ? (
        <>
          <dt>{t('person.nationality')}</dt>
          <dd>{data.nationality.map((code) => format.country(code)).join(', ')}</dd>
        </>
      ) : null}
      {data.legalStatus ? (
        <>
          <dt>{t('person.legalStatus')}</dt>
          <dd>{t(`person.legalStatuses.${data.legalStatus}`)}</dd>
        </>
      ) : null}
      {data.address ? (
        <>
          <dt>{t('person.address')}</dt>
          <dd>
            {[
              ...(data.address.lines ?? []),
              [data.address.postalCode, data.address.locality].filter(Boolean).join(' '),
              data.address.country ? format.country(data.address.country) : '',
            ]
              .filter(Boolean)
              .join(', ')}
          </dd>
        </>
      ) : null}
      {person.date_of_death ? (
        <>
          <dt>{t('record.dateOfDeath')}</dt>
          <dd className="ltr">{person.date_of_death.value}</dd>
        </>
      ) : null}
      <dt>{t('record.id')}</dt>
      <dd className="mono">{person.id}</dd>
      <dt>{t('record.enrolled')}</dt>
      <dd>
        {t('record.enrolledAt', {
          office: person.enrolment.office,
          at: format.dateTime(person.enrolment.at),
        })}
      </dd>
      <dt>{t('record.version')}</dt>
      <dd>{person.version}</dd>
    </dl>
  );
}

function NameRow({ script, text }: { script: string; text: string }) {
  const { t } = useTranslation('consoles');
  return (
    <>
      <dt>{t(`person.nameIn.${script}`, { defaultValue: t('person.nameIn.other', { script }) })}</dt>
      <dd>
        <bdi lang={script === 'Arab' ? 'ar' : script === 'Cyrl' ? 'ru' : undefined}>{text}</bdi>
      </dd>
    </>
  );
}

function EditRecord({
  apiKey,
  person,
  onDone,
  onCancel,
}: {
  apiKey: string;
  person: PersonRecord;
  onDone: (person: PersonRecord, message: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('consoles');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const submit = async (data: PersonData) => {
    setBusy(true);
    setFailure(null);
    const result = await updatePerson(apiKey, person.id, data, person.version, reason.trim());
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    onDone(
      result.data.person,
      result.data.effects.reissue ? t('record.updatedReissue') : t('record.updated'),
    );
  };
  const fieldErrors = failure?.error === 'PERSON_INVALID' ? fieldErrorsOf(failure.description) : undefined;
  return (
    <section>
      <FocusHeading level={3}>{t('record.editHeading')}</FocusHeading>
      {failure ? <ApiErrorMessage failure={failure} title={t('record.updateFailed')} /> : null}
      <PersonForm
        initial={person.data}
        submitLabel={t('record.save')}
        busy={busy}
        {...(fieldErrors ? { serverFieldErrors: fieldErrors } : {})}
        validateExtra={(): Record<string, string> =>
          reason.trim().length >= 3 ? {} : { reason: t('record.reasonRequired') }
        }
        extra={(errors, idOf) => (
          <TextField
            id={idOf('reason')}
            label={t('record.reason')}
            hint={t('record.reasonHint')}
            value={reason}
            required
            error={errors['reason']}
            onChange={(event) => setReason(event.target.value)}
          />
        )}
        onSubmit={(data) => void submit(data)}
      />
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </section>
  );
}

/** Deactivate (suspends the credentials), reactivate (supervisors), record a death (revokes them). */
function ReasonAction({
  apiKey,
  person,
  kind,
  headingLevel,
  onDone,
}: {
  apiKey: string;
  person: PersonRecord;
  kind: 'deactivate' | 'reactivate' | 'death';
  headingLevel: 'h3' | 'h4';
  onDone: (person: PersonRecord) => void;
}) {
  const { t } = useTranslation('consoles');
  const id = useId();
  const [reason, setReason] = useState('');
  const [date, setDate] = useState<DateFields>(EMPTY_DATE);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const Heading = headingLevel;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (reason.trim().length < 3) found['reason'] = t('record.reasonRequired');
    if (kind === 'death') {
      const problem = validateDate(date);
      if (problem) found[`death.${problem === 'date' ? 'day' : problem}`] = t(`person.error.dob.${problem}`);
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    const result =
      kind === 'death'
        ? await recordDeath(apiKey, person.id, reason.trim(), partialDateOf(date))
        : await changePersonState(apiKey, person.id, kind, reason.trim());
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    onDone(result.data.person);
  };
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <Heading id={`${id}-heading`}>{t(`record.${kind}.heading`)}</Heading>
      <p>{t(`record.${kind}.help`)}</p>
      {failure ? <ApiErrorMessage failure={failure} /> : null}
      <form onSubmit={(event) => void submit(event)} noValidate>
        {kind === 'death' ? (
          <DateFieldset
            legend={t('record.dateOfDeath')}
            value={date}
            onChange={(part, value) => setDate((previous) => ({ ...previous, [part]: value }))}
            errors={errors}
            errorKey="death"
            idOf={(field) => `${id}-${field.replace('.', '-')}`}
          />
        ) : null}
        <TextField
          label={t('record.reason')}
          hint={t('record.reasonHint')}
          value={reason}
          required
          error={errors['reason']}
          onChange={(event) => setReason(event.target.value)}
        />
        <div className="actions">
          <button
            type="submit"
            className={`button${kind === 'reactivate' ? '' : ' button--danger'}`}
            disabled={busy}
          >
            {busy ? t('working') : t(`record.${kind}.submit`)}
          </button>
        </div>
      </form>
    </section>
  );
}
