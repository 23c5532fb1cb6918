import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findPersonByUin, type PersonRecord } from '../api/registry';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';
import { TextField } from '../app/components/fields';
import { RecordView } from './record-view';

/**
 * Find a record by UIN. Every read names its purpose: the registry records who read which record,
 * when and why (the person can see it), so the purpose is required and sent as typed.
 */
export function FindView({ apiKey, initialUin }: { apiKey: string; initialUin: string }) {
  const { t } = useTranslation('consoles');
  const [uin, setUin] = useState(initialUin);
  const [purpose, setPurpose] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [person, setPerson] = useState<PersonRecord | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const digits = uin.replace(/\s+/g, '');
    if (!/^\d{6,20}$/.test(digits)) found['uin'] = t('find.uinInvalid');
    if (purpose.trim().length < 3) found['purpose'] = t('find.purposeRequired');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    setPerson(null);
    const result = await findPersonByUin(apiKey, digits, purpose.trim());
    setBusy(false);
    if (!result.ok) setFailure(result);
    else setPerson(result.data);
  };

  return (
    <section aria-labelledby="find-heading">
      <h2 id="find-heading">{t('find.heading')}</h2>
      <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={t('record.uin')}
          inputMode="numeric"
          className="medium"
          autoComplete="off"
          value={uin}
          required
          error={errors['uin']}
          onChange={(event) => setUin(event.target.value)}
        />
        <TextField
          label={t('find.purpose')}
          hint={t('find.purposeHint')}
          value={purpose}
          required
          error={errors['purpose']}
          onChange={(event) => setPurpose(event.target.value)}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('working') : t('find.submit')}
          </button>
        </div>
      </form>
      {failure ? <ApiErrorMessage failure={failure} title={t('find.failed')} /> : null}
      {person ? (
        <RecordView key={person.id} apiKey={apiKey} person={person} onChange={setPerson} headingLevel={2} />
      ) : null}
    </section>
  );
}
