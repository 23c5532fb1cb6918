import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LegalStatus, PartialDate, PersonData, PersonName, Sex } from '../api/registry';
import { ErrorSummary } from '../app/components/api-error';
import { CheckboxField, RadioGroup, SelectField, TextAreaField, TextField } from '../app/components/fields';
import { useCountryOptions } from '../app/format';

interface NameFields {
  given: string;
  middle: string;
  family: string;
}
export interface PersonFormState {
  latin: NameFields;
  arabic: NameFields;
  dob: DateFields;
  sex: Sex | '';
  birthLocality: string;
  birthCountry: string;
  nationality: string;
  legalStatus: LegalStatus | '';
  addressLines: string;
  addressLocality: string;
  addressPostalCode: string;
  addressCountry: string;
  guardianId: string;
  guardianRelationship: '' | 'mother' | 'father' | 'parent' | 'legal_guardian';
}
export interface DateFields {
  year: string;
  month: string;
  day: string;
  estimated: boolean;
}

const EMPTY_NAME: NameFields = { given: '', middle: '', family: '' };
export const EMPTY_DATE: DateFields = { year: '', month: '', day: '', estimated: false };
const EMPTY: PersonFormState = {
  latin: EMPTY_NAME,
  arabic: EMPTY_NAME,
  dob: EMPTY_DATE,
  sex: '',
  birthLocality: '',
  birthCountry: '',
  nationality: '',
  legalStatus: '',
  addressLines: '',
  addressLocality: '',
  addressPostalCode: '',
  addressCountry: '',
  guardianId: '',
  guardianRelationship: '',
};

export const SEXES: readonly Sex[] = ['female', 'male', 'other', 'not_stated'];
const LEGAL_STATUSES: readonly LegalStatus[] = [
  'citizen',
  'resident',
  'refugee',
  'asylum_seeker',
  'stateless',
];

/** A record's data as the form shows it. */
export function formStateOf(data: PersonData): PersonFormState {
  const name = (script: string): NameFields => {
    const found = data.names.find((n) => n.script === script);
    return found ? { given: found.given, middle: found.middle ?? '', family: found.family } : EMPTY_NAME;
  };
  const guardian = data.guardians?.[0];
  return {
    latin: name('Latn'),
    arabic: name('Arab'),
    dob: data.dateOfBirth ? dateFieldsOf(data.dateOfBirth) : EMPTY_DATE,
    sex: data.sex ?? '',
    birthLocality: data.placeOfBirth?.locality ?? '',
    birthCountry: data.placeOfBirth?.country ?? '',
    nationality: data.nationality?.[0] ?? '',
    legalStatus: data.legalStatus ?? '',
    addressLines: (data.address?.lines ?? []).join('\n'),
    addressLocality: data.address?.locality ?? '',
    addressPostalCode: data.address?.postalCode ?? '',
    addressCountry: data.address?.country ?? '',
    guardianId: guardian?.personId ?? '',
    guardianRelationship: guardian?.relationship ?? '',
  };
}

export function dateFieldsOf(date: PartialDate): DateFields {
  const [year = '', month = '', day = ''] = date.value.split('-');
  return { year, month, day, estimated: date.estimated === true };
}

const twoDigits = (part: string) => (/^[1-9]$/.test(part) ? `0${part}` : part);

export function partialDateOf(fields: DateFields): PartialDate {
  const value = [fields.year, fields.month, twoDigits(fields.day)].filter((part) => part !== '').join('-');
  return fields.estimated ? { value, estimated: true } : { value };
}

/**
 * The form's data as the registry's PersonData. Fields left empty are left out; `others` keeps
 * what the form does not edit (names in other scripts, further nationalities, a photo reference).
 */
export function personDataOf(state: PersonFormState, others?: PersonData): PersonData {
  const trim = (value: string) => value.trim();
  const name = (script: string, fields: NameFields): PersonName | undefined => {
    const given = trim(fields.given);
    const family = trim(fields.family);
    const middle = trim(fields.middle);
    if (!given && !family && !middle) return undefined;
    return { script, given, ...(middle ? { middle } : {}), family };
  };
  const names = [name('Latn', state.latin), name('Arab', state.arabic)].filter(
    (n): n is PersonName => n !== undefined,
  );
  for (const other of others?.names ?? [])
    if (other.script !== 'Latn' && other.script !== 'Arab') names.push(other);
  const lines = state.addressLines.split('\n').map(trim).filter(Boolean);
  const address = {
    ...(lines.length > 0 ? { lines } : {}),
    ...(trim(state.addressLocality) ? { locality: trim(state.addressLocality) } : {}),
    ...(trim(state.addressPostalCode) ? { postalCode: trim(state.addressPostalCode) } : {}),
    ...(state.addressCountry ? { country: state.addressCountry } : {}),
  };
  const birthPlace = {
    ...(trim(state.birthLocality) ? { locality: trim(state.birthLocality) } : {}),
    ...(state.birthCountry ? { country: state.birthCountry } : {}),
  };
  const nationality = [
    ...(state.nationality ? [state.nationality] : []),
    ...(others?.nationality ?? []).filter((code) => code !== state.nationality),
  ].slice(0, 5);
  return {
    names,
    ...(state.dob.year ? { dateOfBirth: partialDateOf(state.dob) } : {}),
    ...(state.sex ? { sex: state.sex } : {}),
    ...(Object.keys(birthPlace).length > 0 ? { placeOfBirth: birthPlace } : {}),
    ...(Object.keys(address).length > 0 ? { address } : {}),
    ...(nationality.length > 0 ? { nationality } : {}),
    ...(state.legalStatus ? { legalStatus: state.legalStatus } : {}),
    ...(others?.photo ? { photo: others.photo } : {}),
    ...(state.guardianId.trim() && state.guardianRelationship
      ? { guardians: [{ personId: state.guardianId.trim(), relationship: state.guardianRelationship }] }
      : {}),
  };
}

/** Problems the form can see itself, keyed by field; the registry checks the rest. */
export function validateDate(
  fields: DateFields,
  now = new Date(),
): 'year' | 'month' | 'day' | 'date' | undefined {
  if (
    !/^\d{4}$/.test(fields.year) ||
    Number(fields.year) < 1880 ||
    Number(fields.year) > now.getUTCFullYear()
  )
    return 'year';
  if (fields.day && !fields.month) return 'month';
  if (fields.month && !/^(0[1-9]|1[0-2])$/.test(fields.month)) return 'month';
  if (fields.day) {
    if (!/^\d{1,2}$/.test(fields.day)) return 'day';
    const date = new Date(Date.UTC(Number(fields.year), Number(fields.month) - 1, Number(fields.day)));
    if (date.getUTCDate() !== Number(fields.day)) return 'day';
    if (date.getTime() > now.getTime()) return 'date';
  }
  return undefined;
}

/** The registry's coded field errors ("names[0].given script_mismatch, sex required") → form fields. */
export function fieldErrorsOf(description: string): Array<{ field: string; code: string }> {
  const found: Array<{ field: string; code: string }> = [];
  for (const match of description.matchAll(
    /([A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+(?:\[\d+\])?)*) ([a-z_]+)/g,
  )) {
    found.push({ field: match[1]!, code: match[2]! });
  }
  return found;
}

export interface PersonFormProps {
  initial?: PersonData;
  /** Extra fields before the submit button (office, reason). */
  extra?: (errors: Record<string, string>, idOf: (field: string) => string) => ReactNode;
  /** Checks the extra fields; returns their problems keyed by field id. */
  validateExtra?: () => Record<string, string>;
  submitLabel: string;
  busy: boolean;
  /** Field problems the registry reported (PERSON_INVALID), keyed by the record's field path. */
  serverFieldErrors?: Array<{ field: string; code: string }>;
  onSubmit: (data: PersonData) => void;
}

/**
 * The person record form, shared by enrolment and update. Native controls only, labels on every
 * control, groups in fieldsets with legends; on a failed submit the problems are listed first, as
 * links to their fields, and the list takes focus.
 */
export function PersonForm({
  initial,
  extra,
  validateExtra,
  submitLabel,
  busy,
  serverFieldErrors,
  onSubmit,
}: PersonFormProps) {
  const { t } = useTranslation('consoles');
  const base = useId().replace(/:/g, '');
  const id = (field: string) => `${base}-${field.replace(/[^A-Za-z0-9]/g, '-')}`;
  const [state, setState] = useState<PersonFormState>(() => (initial ? formStateOf(initial) : EMPTY));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const countries = useCountryOptions(t('person.noCountry'));

  const set = <K extends keyof PersonFormState>(key: K, value: PersonFormState[K]) =>
    setState((previous) => ({ ...previous, [key]: value }));
  const setName = (script: 'latin' | 'arabic', part: keyof NameFields, value: string) =>
    setState((previous) => ({ ...previous, [script]: { ...previous[script], [part]: value } }));
  const setDob = (part: keyof DateFields, value: string | boolean) =>
    setState((previous) => ({ ...previous, dob: { ...previous.dob, [part]: value } }));

  // The registry's own verdicts, shown on the fields they name.
  const server: Record<string, string> = {};
  for (const { field, code } of serverFieldErrors ?? []) {
    const key = serverFieldKey(field, state);
    if (key && !server[key])
      server[key] = t(`person.fieldError.${code}`, { defaultValue: t('person.fieldError.format') });
  }
  const shown = { ...server, ...errors };

  const validate = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!state.latin.given.trim()) found['latin.given'] = t('person.error.given');
    if (!state.latin.family.trim()) found['latin.family'] = t('person.error.family');
    const arabic = state.arabic;
    if (arabic.given.trim() || arabic.family.trim() || arabic.middle.trim()) {
      if (!arabic.given.trim()) found['arabic.given'] = t('person.error.given');
      if (!arabic.family.trim()) found['arabic.family'] = t('person.error.family');
    }
    const dateProblem = validateDate(state.dob);
    if (dateProblem)
      found[`dob.${dateProblem === 'date' ? 'day' : dateProblem}`] = t(`person.error.dob.${dateProblem}`);
    if (!state.sex) found['sex'] = t('person.error.sex');
    if (state.guardianId.trim() && !state.guardianRelationship)
      found['guardianRelationship'] = t('person.error.guardianRelationship');
    if (!state.guardianId.trim() && state.guardianRelationship)
      found['guardianId'] = t('person.error.guardianId');
    return { ...found, ...(validateExtra?.() ?? {}) };
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length === 0) onSubmit(personDataOf(state, initial));
  };

  const problems = Object.entries(errors).map(([field, message]) => ({ id: id(field), message }));
  const nameFields = (script: 'latin' | 'arabic') => (
    <div className="grid-2">
      {(['given', 'middle', 'family'] as const).map((part) => (
        <TextField
          key={part}
          id={id(`${script}.${part}`)}
          label={t(`person.${part}`)}
          value={state[script][part]}
          onChange={(event) => setName(script, part, event.target.value)}
          required={script === 'latin' && part !== 'middle'}
          error={shown[`${script}.${part}`]}
          autoComplete="off"
          lang={script === 'arabic' ? 'ar' : undefined}
          dir={script === 'arabic' ? 'rtl' : undefined}
        />
      ))}
    </div>
  );

  return (
    <form onSubmit={submit} noValidate className="person-form">
      <ErrorSummary key={attempt} problems={problems} />
      <fieldset>
        <legend>{t('person.latinName')}</legend>
        {nameFields('latin')}
      </fieldset>
      <fieldset>
        <legend>{t('person.arabicName')}</legend>
        <p className="field__hint">{t('person.arabicHint')}</p>
        {nameFields('arabic')}
      </fieldset>
      <DateFieldset
        legend={t('person.dateOfBirth')}
        hint={t('person.dateOfBirthHint')}
        value={state.dob}
        onChange={setDob}
        errors={shown}
        errorKey="dob"
        idOf={id}
        withEstimated
      />
      <RadioGroup
        legend={t('person.sex')}
        name={`${base}-sex`}
        id={id('sex')}
        value={state.sex}
        required
        error={shown['sex']}
        options={SEXES.map((sex) => ({ value: sex, label: t(`person.sexes.${sex}`) }))}
        onChange={(value) => set('sex', value)}
      />
      <fieldset>
        <legend>{t('person.placeOfBirth')}</legend>
        <div className="grid-2">
          <TextField
            id={id('birthLocality')}
            label={t('person.locality')}
            value={state.birthLocality}
            onChange={(event) => set('birthLocality', event.target.value)}
          />
          <SelectField
            id={id('birthCountry')}
            label={t('person.country')}
            value={state.birthCountry}
            options={countries}
            error={shown['birthCountry']}
            onChange={(event) => set('birthCountry', event.target.value)}
          />
        </div>
      </fieldset>
      <div className="grid-2">
        <SelectField
          id={id('nationality')}
          label={t('person.nationality')}
          value={state.nationality}
          options={countries}
          error={shown['nationality']}
          onChange={(event) => set('nationality', event.target.value)}
        />
        <SelectField
          id={id('legalStatus')}
          label={t('person.legalStatus')}
          value={state.legalStatus}
          options={[
            { value: '', label: t('person.notGiven') },
            ...LEGAL_STATUSES.map((status) => ({
              value: status,
              label: t(`person.legalStatuses.${status}`),
            })),
          ]}
          onChange={(event) => set('legalStatus', event.target.value as LegalStatus | '')}
        />
      </div>
      <fieldset>
        <legend>{t('person.address')}</legend>
        <TextAreaField
          id={id('addressLines')}
          label={t('person.addressLines')}
          hint={t('person.addressLinesHint')}
          value={state.addressLines}
          rows={3}
          onChange={(event) => set('addressLines', event.target.value)}
        />
        <div className="grid-2">
          <TextField
            id={id('addressLocality')}
            label={t('person.locality')}
            value={state.addressLocality}
            onChange={(event) => set('addressLocality', event.target.value)}
          />
          <TextField
            id={id('addressPostalCode')}
            label={t('person.postalCode')}
            value={state.addressPostalCode}
            className="medium"
            error={shown['addressPostalCode']}
            onChange={(event) => set('addressPostalCode', event.target.value)}
          />
          <SelectField
            id={id('addressCountry')}
            label={t('person.country')}
            value={state.addressCountry}
            options={countries}
            error={shown['addressCountry']}
            onChange={(event) => set('addressCountry', event.target.value)}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('person.guardian')}</legend>
        <p className="field__hint">{t('person.guardianHint')}</p>
        <div className="grid-2">
          <TextField
            id={id('guardianId')}
            label={t('person.guardianId')}
            value={state.guardianId}
            className="mono"
            error={shown['guardianId']}
            onChange={(event) => set('guardianId', event.target.value)}
          />
          <SelectField
            id={id('guardianRelationship')}
            label={t('person.relationship')}
            value={state.guardianRelationship}
            error={shown['guardianRelationship']}
            options={[
              { value: '', label: t('person.notGiven') },
              ...(['mother', 'father', 'parent', 'legal_guardian'] as const).map((value) => ({
                value,
                label: t(`person.relationships.${value}`),
              })),
            ]}
            onChange={(event) =>
              set('guardianRelationship', event.target.value as PersonFormState['guardianRelationship'])
            }
          />
        </div>
      </fieldset>
      {extra?.(shown, id)}
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('working') : submitLabel}
        </button>
      </div>
    </form>
  );
}

/** Year, month, day (each optional after the year) and "estimated": the registry's partial date. */
export function DateFieldset({
  legend,
  hint,
  value,
  onChange,
  errors,
  errorKey,
  idOf,
  withEstimated = false,
}: {
  legend: string;
  hint?: string;
  value: DateFields;
  onChange: (part: keyof DateFields, value: string | boolean) => void;
  errors: Record<string, string>;
  errorKey: string;
  idOf: (field: string) => string;
  withEstimated?: boolean;
}) {
  const { t } = useTranslation('consoles');
  const months = Array.from({ length: 12 }, (_, index) => String(index + 1).padStart(2, '0'));
  const { i18n } = useTranslation();
  const monthName = new Intl.DateTimeFormat(i18n.resolvedLanguage ?? i18n.language, {
    month: 'long',
    timeZone: 'UTC',
  });
  return (
    <fieldset>
      <legend>{legend}</legend>
      {hint ? <p className="field__hint">{hint}</p> : null}
      <div className="date-parts">
        <TextField
          id={idOf(`${errorKey}.year`)}
          label={t('person.year')}
          inputMode="numeric"
          className="short"
          maxLength={4}
          value={value.year}
          required
          error={errors[`${errorKey}.year`] ?? errors[errorKey]}
          onChange={(event) => onChange('year', event.target.value.trim())}
        />
        <SelectField
          id={idOf(`${errorKey}.month`)}
          label={t('person.month')}
          value={value.month}
          error={errors[`${errorKey}.month`]}
          options={[
            { value: '', label: t('person.unknownPart') },
            ...months.map((month) => ({
              value: month,
              label: monthName.format(new Date(Date.UTC(2000, Number(month) - 1, 1))),
            })),
          ]}
          onChange={(event) => onChange('month', event.target.value)}
        />
        <TextField
          id={idOf(`${errorKey}.day`)}
          label={t('person.day')}
          inputMode="numeric"
          className="short"
          maxLength={2}
          value={value.day}
          error={errors[`${errorKey}.day`]}
          onChange={(event) => onChange('day', event.target.value.trim())}
        />
      </div>
      {withEstimated ? (
        <CheckboxField
          id={idOf(`${errorKey}.estimated`)}
          label={t('person.estimated')}
          checked={value.estimated}
          onChange={(event) => onChange('estimated', event.target.checked)}
        />
      ) : null}
    </fieldset>
  );
}

function serverFieldKey(field: string, state: PersonFormState): string | undefined {
  const name = /^names\[(\d+)\]\.(given|middle|family)$/.exec(field);
  if (name) {
    const latinFirst = Boolean(state.latin.given.trim() || state.latin.family.trim());
    const script = name[1] === '0' && latinFirst ? 'latin' : 'arabic';
    return `${script}.${name[2]}`;
  }
  if (field.startsWith('dateOfBirth')) return 'dob.year';
  if (field === 'sex') return 'sex';
  if (field.startsWith('placeOfBirth.country')) return 'birthCountry';
  if (field.startsWith('nationality')) return 'nationality';
  if (field === 'address.country') return 'addressCountry';
  if (field === 'address.postalCode') return 'addressPostalCode';
  if (field.startsWith('guardians')) return 'guardianId';
  return undefined;
}
