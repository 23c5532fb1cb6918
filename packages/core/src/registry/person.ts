/**
 * The foundational registry's person record. A record holds what an enrolment desk captures about a
 * person; which fields are required, which scripts names may be written in and which formats apply
 * is per jurisdiction (`jurisdiction-rules.ts`). Nothing here is derived from anything else: the
 * UIN is random (`uin.ts`) and the record's `id` is an opaque random reference.
 */

/** ISO 15924 script code of a name (`Latn`, `Arab`, `Cyrl`…): the matcher transliterates Arab and Cyrl. */
export type ScriptCode = string;

/** One written form of the person's name. A person may have one per script (Latin and Arabic, say). */
export interface PersonName {
  script: ScriptCode;
  /** Given name(s), space separated as the person writes them. */
  given: string;
  /** Father's or other middle names (nasab, patronymic), if the jurisdiction records them. */
  middle?: string;
  /** Family name(s); empty for people who have none (mononyms), if the rules allow it. */
  family: string;
}

/**
 * A date of birth that may be partial: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (ISO 8601 calendar date,
 * reduced precision). `estimated` marks a date the registrar estimated (no document, age assessed),
 * which the matcher compares more tolerantly and `ageEqualOrOver` treats like any partial date.
 */
export interface PartialDate {
  value: string;
  estimated?: boolean;
}

/** `not_stated` is a value, not a missing field: the person chose not to state it. */
export type Sex = 'female' | 'male' | 'other' | 'not_stated';

export const SEXES: readonly Sex[] = ['female', 'male', 'other', 'not_stated'];

export type LegalStatus = 'citizen' | 'resident' | 'refugee' | 'asylum_seeker' | 'stateless';

export const LEGAL_STATUSES: readonly LegalStatus[] = [
  'citizen',
  'resident',
  'refugee',
  'asylum_seeker',
  'stateless',
];

/** A place as registries record it; `country` is an ISO 3166-1 alpha-2 code (or `XX` for unknown). */
export interface Place {
  locality?: string;
  region?: string;
  country?: string;
}

export interface Address extends Place {
  /** Street lines, in the order written. */
  lines?: string[];
  postalCode?: string;
}

export type GuardianRelationship = 'mother' | 'father' | 'parent' | 'legal_guardian';

export const GUARDIAN_RELATIONSHIPS: readonly GuardianRelationship[] = [
  'mother',
  'father',
  'parent',
  'legal_guardian',
];

/** A link from a minor to a registered guardian (by the guardian's record id). */
export interface GuardianLink {
  personId: string;
  relationship: GuardianRelationship;
}

/**
 * A reference to the person's photo in a document store: the registry never holds image bytes in
 * the record. `sha256` (base64url) lets a reader check the image it fetched is the enrolled one.
 */
export interface PhotoReference {
  ref: string;
  sha256?: string;
}

/** What an enrolment or an update supplies about a person. */
export interface PersonData {
  /** At least one name; at most one per script. */
  names: PersonName[];
  dateOfBirth?: PartialDate;
  sex?: Sex;
  placeOfBirth?: Place;
  address?: Address;
  /** ISO 3166-1 alpha-2 codes; empty for a stateless person. */
  nationality?: string[];
  legalStatus?: LegalStatus;
  photo?: PhotoReference;
  guardians?: GuardianLink[];
}

/**
 * pending: enrolled, waiting for a supervisor's adjudication (no UIN yet); active: has a UIN;
 * deactivated: suspended by the registry (may be reactivated); deceased: death recorded (final);
 * merged: a tombstone pointing at the surviving record (final).
 */
export type PersonState = 'pending' | 'active' | 'deactivated' | 'deceased' | 'merged';

/** Who enrolled the person, where and when. */
export interface EnrolmentMetadata {
  /** The registrar (an operator or API key id). */
  registrar: string;
  /** The office, desk or mobile unit. */
  office: string;
  at: number;
}

/** A person as the registry keeps them. */
export interface PersonRecord {
  /** 128-bit random, base64url: the internal reference (adjudication, audit, guardians). */
  id: string;
  /** The unique identity number, once the person is active (see `uin.ts`). */
  uin?: string;
  state: PersonState;
  data: PersonData;
  /** 1 at enrolment, +1 for every change of data or state. */
  version: number;
  enrolment: EnrolmentMetadata;
  createdAt: number;
  updatedAt: number;
  /** For a merged record: the surviving record's id. */
  mergedInto?: string;
  /** For a deceased person: the date of death (may be partial). */
  dateOfDeath?: PartialDate;
}

/**
 * What deduplication reads of a candidate record: its reference, identity number, state, version
 * and data, without the enrolment and change metadata (a bulk import reads thousands a batch). A
 * `PersonRecord` is one.
 */
export type MatchCandidate = Pick<PersonRecord, 'id' | 'uin' | 'state' | 'version' | 'data'>;

/** A candidate whose data the caller already holds (`findCandidatesForQueries`' `known`): no data. */
export type KnownCandidate = Omit<MatchCandidate, 'data'> & { data?: undefined };

/** Who changed a record, when and why: kept with every previous version. */
export interface ChangeMetadata {
  by: string;
  at: number;
  reason: string;
}

/** A previous version of a record, kept when it was replaced. */
export interface PersonVersion {
  personId: string;
  version: number;
  state: PersonState;
  data: PersonData;
  uin?: string;
  mergedInto?: string;
  dateOfDeath?: PartialDate;
  /** The change that replaced this version. */
  replacedBy: ChangeMetadata;
}
