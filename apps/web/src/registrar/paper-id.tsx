import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type PersonRecord, paperId } from '../api/registry';
import { ApiErrorMessage, type ApiFailure } from '../app/components/api-error';

/**
 * The paper ID (an A6 PDF with a signed Claim 169 QR code). The server answers only with the API
 * key in a header, so the file is fetched here and offered as a download (a plain link could not
 * carry the key). Reading the record for it is audited, with this purpose.
 */
const PURPOSE = 'print the paper ID';

export function PaperIdDownload({ apiKey, person }: { apiKey: string; person: PersonRecord }) {
  const { t } = useTranslation('consoles');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [files, setFiles] = useState<{ pdf: string; png: string } | null>(null);

  // Object URLs hold the document in memory until revoked.
  useEffect(
    () => () => {
      if (files) {
        URL.revokeObjectURL(files.pdf);
        URL.revokeObjectURL(files.png);
      }
    },
    [files],
  );

  const prepare = async () => {
    setBusy(true);
    setFailure(null);
    const [pdf, png] = await Promise.all([
      paperId(apiKey, person.id, PURPOSE, 'pdf'),
      paperId(apiKey, person.id, PURPOSE, 'png'),
    ]);
    setBusy(false);
    if (!pdf.ok) return setFailure(pdf);
    if (!png.ok) return setFailure(png);
    setFiles({ pdf: URL.createObjectURL(pdf.data), png: URL.createObjectURL(png.data) });
  };

  return (
    <>
      <p>{t('paperId.help')}</p>
      {failure ? <ApiErrorMessage failure={failure} /> : null}
      {files ? (
        <>
          <p>
            <a className="button" href={files.pdf} download={`paper-id-${person.uin ?? person.id}.pdf`}>
              {t('paperId.download')}
            </a>
          </p>
          <img className="qr" src={files.png} alt={t('paperId.previewAlt')} />
        </>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => void prepare()}
          >
            {busy ? t('working') : t('paperId.prepare')}
          </button>
        </div>
      )}
    </>
  );
}
