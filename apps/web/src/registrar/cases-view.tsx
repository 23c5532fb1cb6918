import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AdjudicationCase, decideCase, listCases } from '../api/registry';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';
import { TextAreaField } from '../app/components/fields';
import { StatusMessage } from '../app/components/messages';
import { useFormat } from '../app/format';

/**
 * The adjudication queue: enrolments the matcher could neither accept nor refuse, waiting for a
 * supervisor (role `supervisor`). The supervisor who enrolled a person cannot decide their case
 * (four eyes: the server refuses with ADJUDICATOR_NOT_ALLOWED).
 */
export function CasesView({ apiKey }: { apiKey: string }) {
  const { t } = useTranslation('consoles');
  const [cases, setCases] = useState<AdjudicationCase[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await listCases(apiKey);
    if (!result.ok) {
      setFailure(result);
      setCases(null);
    } else {
      setFailure(null);
      setCases(result.data.cases);
    }
  }, [apiKey]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="cases-heading">
      <h2 id="cases-heading">{t('cases.heading')}</h2>
      <p>{t('cases.intro')}</p>
      {notice ? <StatusMessage tone="success" title={notice} /> : null}
      {failure ? (
        failure.status === 403 ? (
          <StatusMessage tone="warning" title={t('cases.notSupervisor')} />
        ) : (
          <ApiErrorMessage failure={failure} focus={false} />
        )
      ) : cases === null ? (
        <p role="status">{t('loading')}</p>
      ) : cases.length === 0 ? (
        <p>{t('cases.none')}</p>
      ) : (
        <ul className="card-list">
          {cases.map((item) => (
            <li key={item.id} className="card">
              <CaseCard
                apiKey={apiKey}
                item={item}
                onDecided={(message) => {
                  setNotice(message);
                  void load();
                }}
              />
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={() => void load()}>
          {t('cases.refresh')}
        </button>
      </div>
    </section>
  );
}

function CaseCard({
  apiKey,
  item,
  onDecided,
}: {
  apiKey: string;
  item: AdjudicationCase;
  onDecided: (message: string) => void;
}) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const id = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const decide = async (outcome: 'distinct' | 'same', survivor?: string) => {
    setBusy(true);
    setFailure(null);
    const result = await decideCase(apiKey, item.id, {
      outcome,
      ...(survivor ? { survivor_id: survivor } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    setBusy(false);
    if (!result.ok) setFailure(result);
    else onDecided(t(outcome === 'same' ? 'cases.decidedSame' : 'cases.decidedDistinct'));
  };
  return (
    <article aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('cases.case', { id: item.id })}</h3>
      <dl className="record">
        <dt>{t('cases.subject')}</dt>
        <dd className="mono">{item.subject_id}</dd>
        <dt>{t('cases.opened')}</dt>
        <dd>{format.dateTime(item.created_at)}</dd>
      </dl>
      <h4>{t('enrol.candidates')}</h4>
      <ul>
        {item.candidates.map((candidate) => (
          <li key={candidate.person_id}>
            <span className="mono">{candidate.person_id}</span> —{' '}
            {t('enrol.scoreOf', { score: candidate.score })}{' '}
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              onClick={() => void decide('same', candidate.person_id)}
            >
              {t('cases.same', { id: candidate.person_id })}
            </button>
          </li>
        ))}
      </ul>
      <TextAreaField
        label={t('cases.note')}
        value={note}
        rows={2}
        onChange={(event) => setNote(event.target.value)}
      />
      {failure ? <ApiErrorMessage failure={failure} /> : null}
      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={() => void decide('distinct')}>
          {t('cases.distinct')}
        </button>
      </div>
    </article>
  );
}
