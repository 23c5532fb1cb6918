import { useTranslation } from 'react-i18next';
import { useFormat } from '../app/format';

interface Row {
  path: string[];
  value: unknown;
}

/** Nested claims as rows: `{ age_equal_or_over: { 18: true } }` → one row, "Over 18: yes". */
function rowsOf(value: Record<string, unknown>, prefix: string[] = []): Row[] {
  return Object.entries(value).flatMap(([name, inner]) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? rowsOf(inner as Record<string, unknown>, [...prefix, name])
      : [{ path: [...prefix, name], value: inner }],
  );
}

/** The claims a verifier received, each labelled in the interface language, values as plain text. */
export function ClaimsList({ claims }: { claims: Record<string, unknown> }) {
  const { t } = useTranslation('consoles');
  const format = useFormat();
  const label = (path: string[]) => {
    if (path[0] === 'age_equal_or_over' && path.length === 2) return t('claims.ageOver', { age: path[1] });
    const key = path.join('.');
    return t(`claims.${key}`, { defaultValue: key });
  };
  const text = (path: string[], value: unknown) => {
    if (typeof value === 'boolean') return format.yesNo(value);
    if (Array.isArray(value)) return value.map(String).join(', ');
    if (
      (path.at(-1) === 'country' || path[0] === 'nationality') &&
      typeof value === 'string' &&
      /^[A-Z]{2}$/.test(value)
    )
      return `${format.country(value)} (${value})`;
    return String(value);
  };
  const rows = rowsOf(claims);
  return (
    <dl className="record claims">
      {rows.map((row) => (
        <div key={row.path.join('.')} className="claim">
          <dt>{label(row.path)}</dt>
          <dd>
            <bdi>{text(row.path, row.value)}</bdi>
          </dd>
        </div>
      ))}
    </dl>
  );
}
