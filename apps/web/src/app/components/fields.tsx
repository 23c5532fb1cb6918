import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';
import { useTranslation } from 'react-i18next';

interface Described {
  label: ReactNode;
  /** A hint under the label (format, example). */
  hint?: ReactNode;
  /** An error under the label; marks the control invalid. */
  error?: ReactNode;
}

/** The ids of the hint and error paragraphs, for aria-describedby. */
function useDescription(hint: ReactNode, error: ReactNode) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

function Description({
  hint,
  hintId,
  error,
  errorId,
}: {
  hint: ReactNode;
  hintId?: string;
  error: ReactNode;
  errorId?: string;
}) {
  return (
    <>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  label,
  hint,
  error,
  required,
  ...input
}: Described & InputHTMLAttributes<HTMLInputElement>) {
  const d = useDescription(hint, error);
  const id = input.id ?? d.id;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      <Description hint={hint} hintId={d.hintId} error={error} errorId={d.errorId} />
      <input
        type="text"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={d.describedBy}
        {...input}
        id={id}
      />
    </div>
  );
}

export function TextAreaField({
  label,
  hint,
  error,
  required,
  ...textarea
}: Described & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const d = useDescription(hint, error);
  const id = textarea.id ?? d.id;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      <Description hint={hint} hintId={d.hintId} error={error} errorId={d.errorId} />
      <textarea
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={d.describedBy}
        {...textarea}
        id={id}
      />
    </div>
  );
}

export function SelectField({
  label,
  hint,
  error,
  required,
  options,
  ...select
}: Described &
  SelectHTMLAttributes<HTMLSelectElement> & { options: ReadonlyArray<{ value: string; label: string }> }) {
  const d = useDescription(hint, error);
  const id = select.id ?? d.id;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      <Description hint={hint} hintId={d.hintId} error={error} errorId={d.errorId} />
      <select
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={d.describedBy}
        {...select}
        id={id}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({
  label,
  hint,
  ...input
}: Omit<Described, 'error'> & InputHTMLAttributes<HTMLInputElement>) {
  const d = useDescription(hint, undefined);
  const id = input.id ?? d.id;
  return (
    <div className="field field--checkbox">
      <input type="checkbox" aria-describedby={d.describedBy} {...input} id={id} />
      <label htmlFor={id}>{label}</label>
      <Description hint={hint} hintId={d.hintId} error={undefined} />
    </div>
  );
}

/** Radio buttons in a fieldset whose legend names the group. `id` goes to the first radio (error links). */
export function RadioGroup<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  hint,
  error,
  required,
  id: firstId,
}: {
  legend: ReactNode;
  name: string;
  value: T | '';
  options: ReadonlyArray<{ value: T; label: ReactNode; hint?: ReactNode }>;
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  id?: string;
}) {
  const d = useDescription(hint, error);
  return (
    <fieldset
      className={`field radio-group${error ? ' field--invalid' : ''}`}
      aria-describedby={d.describedBy}
    >
      <legend>
        {legend}
        {required ? <RequiredMark /> : null}
      </legend>
      <Description hint={hint} hintId={d.hintId} error={error} errorId={d.errorId} />
      {options.map((option, index) => {
        const id = index === 0 && firstId ? firstId : `${d.id}-${option.value}`;
        return (
          <div className="radio" key={option.value}>
            <input
              type="radio"
              id={id}
              name={name}
              value={option.value}
              checked={value === option.value}
              required={required}
              aria-invalid={error ? true : undefined}
              onChange={() => onChange(option.value)}
            />
            <label htmlFor={id}>{option.label}</label>
            {option.hint ? <p className="field__hint">{option.hint}</p> : null}
          </div>
        );
      })}
    </fieldset>
  );
}

/** A visible word (not an asterisk) for required fields; screen readers also hear `required`. */
function RequiredMark() {
  const { t } = useTranslation('common');
  return (
    <span className="field__required" aria-hidden="true">
      {` (${t('required')})`}
    </span>
  );
}
