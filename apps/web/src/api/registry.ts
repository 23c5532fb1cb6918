import { type ApiResult, apiBlob, apiJson, probeRole } from './http';

/** The person record on the wire (apps/server/src/registry/registry-routes.ts, core PersonData). */
export interface PartialDate {
  value: string;
  estimated?: boolean;
}
export interface PersonName {
  script: string;
  given: string;
  middle?: string;
  family: string;
}
export interface Place {
  locality?: string;
  region?: string;
  country?: string;
}
export type Sex = 'female' | 'male' | 'other' | 'not_stated';
export type LegalStatus = 'citizen' | 'resident' | 'refugee' | 'asylum_seeker' | 'stateless';
export interface PersonData {
  names: PersonName[];
  dateOfBirth?: PartialDate;
  sex?: Sex;
  placeOfBirth?: Place;
  address?: Place & { lines?: string[]; postalCode?: string };
  nationality?: string[];
  legalStatus?: LegalStatus;
  photo?: { ref: string; sha256?: string };
  guardians?: Array<{ personId: string; relationship: 'mother' | 'father' | 'parent' | 'legal_guardian' }>;
}
export type PersonState = 'pending' | 'active' | 'deactivated' | 'deceased' | 'merged';
export interface PersonRecord {
  id: string;
  uin?: string;
  state: PersonState;
  version: number;
  data: PersonData;
  enrolment: { registrar: string; office: string; at: number };
  created_at: number;
  updated_at: number;
  merged_into?: string;
  date_of_death?: PartialDate;
}
export interface Match {
  person_id: string;
  uin?: string;
  score: number;
}
export type Enrolment =
  | { outcome: 'created'; person: PersonRecord }
  | { outcome: 'review'; person: PersonRecord; case_id: string; candidates: Match[] }
  | { outcome: 'duplicate'; match: Match; error_description: string };
export interface Effects {
  credentials_changed: number;
  reissue: boolean;
}
export interface CredentialOffer {
  offer_id: string;
  tx_code: string;
  expires_at: number;
  credential_offer_uri: string;
  links: { by_reference: string; by_value: string };
  qr: { png: string; svg: string };
  credential_configuration_id?: string;
}
export interface AdjudicationCase {
  id: string;
  subject_id: string;
  state: 'pending' | 'decided';
  created_at: number;
  candidates: Array<{ person_id: string; score: number }>;
  decision?: { outcome: 'distinct' | 'same'; survivor_id?: string; supervisor: string; at: number };
}

export const checkRegistrarKey = (apiKey: string) => probeRole('/registry/persons', apiKey);

/** Supervisors may read the adjudication queue; a registrar's key is answered 403. */
export async function isSupervisor(apiKey: string): Promise<boolean> {
  const result = await apiJson<unknown>('/registry/cases', { apiKey, query: { limit: 1 } });
  return result.ok;
}

/** Enrols; a duplicate (409) is an outcome, not a failure. */
export async function enrolPerson(
  apiKey: string,
  person: PersonData,
  office: string,
): Promise<ApiResult<Enrolment>> {
  const result = await apiJson<Enrolment>('/registry/persons', {
    method: 'POST',
    apiKey,
    body: { person, office },
  });
  if (
    !result.ok &&
    result.status === 409 &&
    (result.body as { outcome?: unknown })?.outcome === 'duplicate'
  ) {
    return { ok: true, status: 409, data: result.body as Enrolment };
  }
  return result;
}

/** Reads a record by UIN; the purpose is recorded in the access audit. */
export const findPersonByUin = (apiKey: string, uin: string, purpose: string) =>
  apiJson<PersonRecord>('/registry/persons', { apiKey, query: { uin, purpose } });

export const readPerson = (apiKey: string, id: string, purpose: string) =>
  apiJson<PersonRecord>(`/registry/persons/${encodeURIComponent(id)}`, { apiKey, query: { purpose } });

export const updatePerson = (
  apiKey: string,
  id: string,
  person: PersonData,
  expectedVersion: number,
  reason: string,
) =>
  apiJson<{ person: PersonRecord; effects: Effects }>(`/registry/persons/${encodeURIComponent(id)}`, {
    method: 'PUT',
    apiKey,
    body: { person, expected_version: expectedVersion, reason },
  });

export type StateChange = 'deactivate' | 'reactivate';
export const changePersonState = (apiKey: string, id: string, change: StateChange, reason: string) =>
  apiJson<{ person: PersonRecord; effects: Effects }>(
    `/registry/persons/${encodeURIComponent(id)}/${change}`,
    {
      method: 'POST',
      apiKey,
      body: { reason },
    },
  );

export const recordDeath = (apiKey: string, id: string, reason: string, dateOfDeath: PartialDate) =>
  apiJson<{ person: PersonRecord; effects: Effects }>(`/registry/persons/${encodeURIComponent(id)}/death`, {
    method: 'POST',
    apiKey,
    body: { reason, date_of_death: dateOfDeath },
  });

/** Which credential an offer is for (issue 8): the guardian credential names the child's record. */
export type OfferedCredential =
  | { credential: 'national_identity' }
  | { credential: 'age' }
  | { credential: 'guardian'; child_id: string };

export const createCredentialOffer = (apiKey: string, id: string, body?: OfferedCredential) =>
  apiJson<CredentialOffer>(`/registry/persons/${encodeURIComponent(id)}/credential-offer`, {
    method: 'POST',
    apiKey,
    ...(body ? { body } : {}),
  });

export const paperId = (apiKey: string, id: string, purpose: string, format: 'pdf' | 'png') =>
  apiBlob(
    `/registry/persons/${encodeURIComponent(id)}/paper-id`,
    { apiKey, query: { purpose, format } },
    format === 'pdf' ? 'application/pdf' : 'image/png',
  );

export const listCases = (apiKey: string, state: 'pending' | 'decided' = 'pending') =>
  apiJson<{ cases: AdjudicationCase[] }>('/registry/cases', { apiKey, query: { state, limit: 50 } });

export const decideCase = (
  apiKey: string,
  caseId: string,
  decision: { outcome: 'distinct' | 'same'; survivor_id?: string; note?: string },
) =>
  apiJson<{ subject: PersonRecord; survivor?: PersonRecord; effects: Effects }>(
    `/registry/cases/${encodeURIComponent(caseId)}/decision`,
    { method: 'POST', apiKey, body: decision },
  );
