import { useTranslation } from 'react-i18next';
import { ErrorMessage } from './messages';

export interface ApiFailure {
  status: number;
  error: string;
  description: string;
}

/**
 * A refusal from the server in plain words: the code's own sentence from the message files (the
 * `errors` table of the consoles), then the server's description as the detail (it is safe to
 * show: the server never puts secrets or claim values in it).
 */
export function ApiErrorMessage({
  failure,
  title,
  focus = true,
}: {
  failure: ApiFailure;
  title?: string;
  focus?: boolean;
}) {
  const { t } = useTranslation('consoles');
  const plain = t(`errors.${failure.error}`, { defaultValue: '' }) || t('errors.unknown');
  return (
    <ErrorMessage title={title ?? plain} focus={focus}>
      {title ? <p>{plain}</p> : null}
      <p className="message__detail">
        {t('errors.detail', { code: failure.error, description: failure.description })}
      </p>
    </ErrorMessage>
  );
}

/** A form's problems as links to the fields (GOV.UK's error summary pattern), focused on submit. */
export function ErrorSummary({ problems }: { problems: ReadonlyArray<{ id: string; message: string }> }) {
  const { t } = useTranslation('consoles');
  if (problems.length === 0) return null;
  return (
    <ErrorMessage title={t('form.problems', { count: problems.length })} focus>
      <ul>
        {problems.map((problem) => (
          <li key={problem.id}>
            <a
              href={`#${problem.id}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(problem.id)?.focus();
              }}
            >
              {problem.message}
            </a>
          </li>
        ))}
      </ul>
    </ErrorMessage>
  );
}
