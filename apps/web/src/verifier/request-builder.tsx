import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CreatedRequest,
  createPresentationRequest,
  type RequestTemplate,
  readIssuerMetadata,
} from '../api/verifier';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';
import { RadioGroup, TextAreaField, TextField } from '../app/components/fields';
import {
  exampleCustomQuery,
  isServerTemplate,
  parseCustomQuery,
  TEMPLATE_NAMES,
  TEMPLATE_PURPOSE_CODES,
  type TemplateName,
  templateAge,
  templateQuery,
} from './templates';

/**
 * A presentation request: a template (or a DCQL query of one's own), the purpose the holder will
 * read on the consent screen, and the issuers to trust. The answer comes back by direct_post (the
 * wallet posts to the server; the console polls the result).
 */
export function RequestBuilder({
  apiKey,
  onCreated,
}: {
  apiKey: string;
  onCreated: (request: CreatedRequest) => void;
}) {
  const { t } = useTranslation('consoles');
  const [template, setTemplate] = useState<TemplateName>('over18');
  // The purpose and its code follow the template (and the language) until the user writes their own.
  const [purposeDraft, setPurposeDraft] = useState<string | null>(null);
  const [purposeCodeDraft, setPurposeCodeDraft] = useState<string | null>(null);
  const age = templateAge(template);
  const [child, setChild] = useState('');
  const [consent, setConsent] = useState('');
  const [service, setService] = useState('');
  const purpose =
    purposeDraft ??
    (age === undefined
      ? t(`verifier.templates.${template}.purpose`)
      : t('verifier.templates.ageOver.purpose', { age }));
  // The server's templates declare their own purpose code (age_verification, parental_consent).
  const purposeCode = isServerTemplate(template)
    ? ''
    : (purposeCodeDraft ?? (template === 'custom' ? '' : TEMPLATE_PURPOSE_CODES[template]));
  const [custom, setCustom] = useState(() => JSON.stringify(exampleCustomQuery(), null, 2));
  const [issuers, setIssuers] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  // This installation's own issuer is the default trusted issuer.
  useEffect(() => {
    let live = true;
    void readIssuerMetadata().then((result) => {
      if (live && result.ok) setIssuers((current) => current || result.data.credential_issuer);
    });
    return () => {
      live = false;
    };
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    let query: Record<string, unknown> | undefined;
    let serverTemplate: RequestTemplate | undefined;
    if (template === 'custom') {
      const parsed = parseCustomQuery(custom);
      if ('problem' in parsed) found['custom'] = t(`verifier.custom.${parsed.problem}`);
      else query = parsed.query;
    } else if (age !== undefined) {
      serverTemplate = { type: 'age_over', age };
    } else if (template === 'parentalConsent') {
      if (!child.trim()) found['child'] = t('verifier.consentTemplate.childRequired');
      if (!consent.trim()) found['consent'] = t('verifier.consentTemplate.consentRequired');
      serverTemplate = {
        type: 'parental_consent',
        child: { given_name: child.trim() },
        consent: consent.trim(),
        ...(service.trim() ? { service: service.trim() } : {}),
      };
    } else if (!isServerTemplate(template)) {
      query = templateQuery(template);
    }
    if (!purpose.trim()) found['purpose'] = t('verifier.purposeRequired');
    const trusted = issuers
      .split(/\s+/)
      .map((line) => line.trim())
      .filter(Boolean);
    if (trusted.length === 0) found['issuers'] = t('verifier.issuersRequired');
    if (purposeCode && !/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(purposeCode))
      found['purposeCode'] = t('verifier.purposeCodeInvalid');
    setErrors(found);
    if (Object.keys(found).length > 0 || !(query || serverTemplate)) return;
    setBusy(true);
    setFailure(null);
    const result = await createPresentationRequest(apiKey, {
      ...(serverTemplate ? { template: serverTemplate } : { dcql_query: query }),
      purpose: purpose.trim(),
      ...(purposeCode ? { purpose_code: purposeCode } : {}),
      trusted_issuers: trusted,
      response_mode: 'direct_post',
    });
    setBusy(false);
    if (!result.ok) setFailure(result);
    else onCreated(result.data);
  };

  return (
    <section aria-labelledby="request-heading">
      <h2 id="request-heading">{t('verifier.newRequest')}</h2>
      {failure ? <ApiErrorMessage failure={failure} title={t('verifier.createFailed')} /> : null}
      <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
        <RadioGroup
          legend={t('verifier.askFor')}
          name="template"
          value={template}
          options={TEMPLATE_NAMES.map((name) => ({
            value: name,
            ...(templateAge(name) === undefined
              ? {
                  label: t(`verifier.templates.${name}.label`),
                  hint: t(`verifier.templates.${name}.hint`),
                }
              : {
                  label: t('verifier.templates.ageOver.label', { age: templateAge(name) }),
                  hint: t('verifier.templates.ageOver.hint', { age: templateAge(name) }),
                }),
          }))}
          onChange={setTemplate}
        />
        {template === 'parentalConsent' ? (
          <>
            <TextField
              label={t('verifier.consentTemplate.child')}
              hint={t('verifier.consentTemplate.childHint')}
              value={child}
              required
              maxLength={100}
              error={errors['child']}
              onChange={(event) => setChild(event.target.value)}
            />
            <TextAreaField
              label={t('verifier.consentTemplate.consent')}
              hint={t('verifier.consentTemplate.consentHint')}
              value={consent}
              rows={2}
              required
              maxLength={300}
              error={errors['consent']}
              onChange={(event) => setConsent(event.target.value)}
            />
            <TextField
              label={t('verifier.consentTemplate.service')}
              hint={t('verifier.consentTemplate.serviceHint')}
              value={service}
              maxLength={100}
              onChange={(event) => setService(event.target.value)}
            />
          </>
        ) : null}
        {template === 'custom' ? (
          <TextAreaField
            label={t('verifier.custom.label')}
            hint={t('verifier.custom.hint')}
            className="mono"
            rows={12}
            spellCheck={false}
            value={custom}
            error={errors['custom']}
            dir="ltr"
            onChange={(event) => setCustom(event.target.value)}
          />
        ) : null}
        <TextField
          label={t('verifier.purpose')}
          hint={t('verifier.purposeHint')}
          value={purpose}
          required
          maxLength={500}
          error={errors['purpose']}
          onChange={(event) => setPurposeDraft(event.target.value)}
        />
        {isServerTemplate(template) ? null : (
          <TextField
            label={t('verifier.purposeCode')}
            hint={t('verifier.purposeCodeHint')}
            value={purposeCode}
            className="medium mono"
            error={errors['purposeCode']}
            dir="ltr"
            onChange={(event) => setPurposeCodeDraft(event.target.value.trim())}
          />
        )}
        <TextAreaField
          label={t('verifier.issuers')}
          hint={t('verifier.issuersHint')}
          value={issuers}
          rows={2}
          className="mono"
          required
          error={errors['issuers']}
          dir="ltr"
          onChange={(event) => setIssuers(event.target.value)}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('working') : t('verifier.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
