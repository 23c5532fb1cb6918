import '../i18n/consoles';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CreatedRequest, checkVerifierKey } from '../api/verifier';
import { ApiKeyGate } from '../app/components/api-key-gate';
import { OfflineQrVerifier } from './offline-qr';
import { RequestBuilder } from './request-builder';
import { RequestTracker } from './request-tracker';

/** /verifier: ask a wallet for exactly the claims needed and see the verified answer; check offline QR codes. */
export function VerifierPage() {
  const { t } = useTranslation('consoles');
  return (
    <>
      <h1>{t('verifier.heading')}</h1>
      <ApiKeyGate storageKey="trieste.apiKey.verifier" role={t('roles.verifier')} check={checkVerifierKey}>
        {(session) => <OnlineVerification apiKey={session.apiKey} />}
      </ApiKeyGate>
      <OfflineQrVerifier />
    </>
  );
}

function OnlineVerification({ apiKey }: { apiKey: string }) {
  const [request, setRequest] = useState<CreatedRequest | null>(null);
  return request ? (
    <RequestTracker key={request.id} apiKey={apiKey} request={request} onDone={() => setRequest(null)} />
  ) : (
    <RequestBuilder apiKey={apiKey} onCreated={setRequest} />
  );
}
