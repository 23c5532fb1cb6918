import type {
  ChangeMetadata,
  EnrolmentMetadata,
  PartialDate,
  PersonData,
  PersonRecord,
  PersonState,
} from './person.js';
import type { MatchScore } from './score-match.js';

/** A person to insert: a new enrolment (pending review, or active with a UIN drawn by the store). */
export interface NewPerson {
  id: string;
  state: 'pending' | 'active';
  data: PersonData;
  enrolment: EnrolmentMetadata;
  /** The keys this record is found under (`blockingKeys(...).stored`). */
  blockingKeys: readonly string[];
}

/**
 * A change of one record, written with the previous version kept in the history. Only the fields
 * given change; `uin: 'draw'` gives a record without one a new UIN (pending → active).
 */
export interface PersonChange {
  state?: PersonState;
  data?: PersonData;
  blockingKeys?: readonly string[];
  uin?: 'draw';
  mergedInto?: string;
  dateOfDeath?: PartialDate;
}

/** A candidate the matcher put in a case, with its score (no personal data). */
export interface CaseCandidate {
  personId: string;
  score: number;
  weights: MatchScore['weights'];
}

export type AdjudicationOutcome = 'distinct' | 'same';

/**
 * A grey-zone enrolment waiting for a supervisor: the enrolled (pending) record and the records it
 * may duplicate. Decided once: `distinct` activates the subject with a UIN, `same` merges it into
 * the survivor (a tombstone remains).
 */
export interface AdjudicationCase {
  id: string;
  subjectId: string;
  candidates: CaseCandidate[];
  state: 'pending' | 'decided';
  createdAt: number;
  decision?: {
    outcome: AdjudicationOutcome;
    /** For `same`: the record that survives. */
    survivorId?: string;
    supervisor: string;
    at: number;
    note?: string;
  };
}

/**
 * A virtual ID as stored: never the VID itself, which only its holder and the service see. The
 * store keeps a keyed digest to find it (`RegistryStore.findVid`).
 */
export interface VidRecord {
  /** 128-bit random, base64url: names the VID in lists and revocations. */
  id: string;
  personId: string;
  /** The service (relying party) the VID stands for the UIN towards. */
  service: string;
  createdAt: number;
  expiresAt?: number;
  revokedAt?: number;
}

/** One read of a person's record: who, when, why. */
export interface AccessRecord {
  /** 128-bit random, base64url. */
  id: string;
  personId: string;
  /** The official or service that read (an operator or API key id). */
  accessor: string;
  /** The declared purpose, as the accessor stated it. */
  purpose: string;
  at: number;
}

/** What one bulk-import row came to, kept so an interrupted import resumes where it stopped. */
export interface ImportRowResult {
  rowKey: string;
  outcome: 'created' | 'duplicate' | 'review' | 'invalid';
  /** The created or queued record (created, review). */
  personId?: string;
  uin?: string;
  /** The record it duplicates (duplicate). */
  matchId?: string;
  caseId?: string;
  /** The broken rules (invalid), as `field code` strings: never values. */
  errors?: string[];
}

export type { ChangeMetadata, PersonRecord };
