import {
  adjudicateCase,
  applyCredentialEffects,
  DEFAULT_JURISDICTION_RULES,
  deactivatePerson,
  type EnrolmentResult,
  enrolPerson,
  type IssuanceContext,
  issueVid,
  isTriesteError,
  type JsonObject,
  type JurisdictionRules,
  listAccesses,
  type PersonData,
  type PersonRecord,
  type RegistryContext,
  reactivatePerson,
  readPerson,
  recordAccess,
  recordDeath,
  revokeVid,
  TriesteError,
  updatePerson,
  verifySdJwtVc,
} from '@trieste/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../http/authenticate.js';
import { ServerError } from '../http/errors.js';
import { type CreatedCredentialOffer, createCredentialOffer } from '../issuer/create-credential-offer.js';
import type { CredentialConfigurations } from '../issuer/credential-configurations.js';
import { ageClaims, checkDeclaredAgeClaims } from './age-claims.js';
import { guardianClaims } from './guardian-claims.js';
import { nationalIdentityClaims } from './national-identity-claims.js';
import { printPaperId } from './paper-id.js';

export interface RegistryRouteDeps {
  issuance: IssuanceContext;
  configurations: CredentialConfigurations;
  /** The credential configuration of the national identity credential (default national_identity_xa). */
  nationalIdentityConfigurationId?: string;
  /** The proof-of-age and guardian credentials' configurations (default age_xa, guardian_xa). */
  ageConfigurationId?: string;
  guardianConfigurationId?: string;
  /** Rules, thresholds and ID number policies of the jurisdiction (defaults: docs/registry.md). */
  registry?: Omit<RegistryContext, 'stores' | 'crypto' | 'clock'>;
  rateLimit: { max: number; timeWindow: number };
}

/**
 * The settings key that remembers which persons an offer's credentials are linked to, until it is
 * issued: the person's id, or for a guardian credential the guardian's and the child's, joined by a
 * comma (ids are base64url), so the death or deactivation of either reaches the credential.
 */
const offerPersonKey = (offerId: string) => `registry.offer.${offerId}`;

// The person record on the wire is the core's PersonData (docs/registry.md): the core checks it
// against the jurisdiction's rules; this schema bounds sizes and shapes only.
const text = (max: number) => z.string().max(max);
const partialDate = z.strictObject({ value: text(10), estimated: z.boolean().optional() });
const place = {
  locality: text(200).optional(),
  region: text(200).optional(),
  country: text(3).optional(),
};
const personData = z.strictObject({
  names: z
    .array(
      z.strictObject({
        script: text(4),
        given: text(200),
        middle: text(200).optional(),
        family: text(200),
      }),
    )
    .min(1)
    .max(6),
  dateOfBirth: partialDate.optional(),
  sex: z.enum(['female', 'male', 'other', 'not_stated']).optional(),
  placeOfBirth: z.strictObject(place).optional(),
  address: z
    .strictObject({ ...place, lines: z.array(text(200)).max(5).optional(), postalCode: text(20).optional() })
    .optional(),
  nationality: z.array(text(3)).max(5).optional(),
  legalStatus: z.enum(['citizen', 'resident', 'refugee', 'asylum_seeker', 'stateless']).optional(),
  photo: z.strictObject({ ref: text(500), sha256: text(64).optional() }).optional(),
  guardians: z
    .array(
      z.strictObject({
        personId: text(64),
        relationship: z.enum(['mother', 'father', 'parent', 'legal_guardian']),
      }),
    )
    .max(4)
    .optional(),
});

const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });
const purposeQuery = z.object({ purpose: z.string().trim().min(3).max(300) });
const reasonBody = z.strictObject({ reason: z.string().trim().min(3).max(300) });

/** A record as a registrar sees it (an allowlist: the blocking keys and internals never leave). */
const personPresenter = z.object({
  id: z.string(),
  uin: z.string().optional(),
  state: z.enum(['pending', 'active', 'deactivated', 'deceased', 'merged']),
  version: z.number(),
  data: personData,
  enrolment: z.object({ registrar: z.string(), office: z.string(), at: z.number() }),
  created_at: z.number(),
  updated_at: z.number(),
  merged_into: z.string().optional(),
  date_of_death: partialDate.optional(),
});
const matchPresenter = z.object({ person_id: z.string(), uin: z.string().optional(), score: z.number() });
const effectsPresenter = z.object({ credentials_changed: z.number(), reissue: z.boolean() });

function presentPerson(person: PersonRecord): z.infer<typeof personPresenter> {
  return {
    id: person.id,
    ...(person.uin ? { uin: person.uin } : {}),
    state: person.state,
    version: person.version,
    data: person.data as z.infer<typeof personData>,
    enrolment: person.enrolment,
    created_at: person.createdAt,
    updated_at: person.updatedAt,
    ...(person.mergedInto ? { merged_into: person.mergedInto } : {}),
    ...(person.dateOfDeath ? { date_of_death: person.dateOfDeath } : {}),
  };
}

const presentMatch = (m: { personId: string; uin?: string; score: number }) => ({
  person_id: m.personId,
  ...(m.uin ? { uin: m.uin } : {}),
  score: Math.round(m.score * 1000) / 1000,
});

/**
 * The foundational registry's API. Registrars (role `registrar`) enrol, read, update and change
 * the state of records, issue VIDs, credential offers and paper IDs; supervisors (role
 * `supervisor`) also decide adjudication cases. Every read of a record names its purpose and is
 * recorded in the access audit (with its digest in the transparency log). Every change that
 * affects the person's credentials changes their status lists in the same transaction.
 */
export function registryRoutes(app: FastifyInstance, deps: RegistryRouteDeps): void {
  const { issuance } = deps;
  const { stores } = issuance;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const configurationId = deps.nationalIdentityConfigurationId ?? 'national_identity_xa';
  const ageConfigurationId = deps.ageConfigurationId ?? 'age_xa';
  const guardianConfigurationId = deps.guardianConfigurationId ?? 'guardian_xa';
  const rules = deps.registry?.rules ?? DEFAULT_JURISDICTION_RULES;
  // One source of truth for the ages: the jurisdiction's rule, which the configurations must declare.
  checkDeclaredAgeClaims(deps.configurations, [configurationId, ageConfigurationId], rules);
  const context = (tx = stores): RegistryContext => ({
    ...deps.registry,
    stores: tx,
    crypto: issuance.crypto,
    clock: issuance.clock,
  });
  const guarded = (role: 'registrar' | 'supervisor', bodyLimit = 16 * 1024) => ({
    config: { rateLimit: deps.rateLimit },
    preParsing: requireRole(stores.apiKeys, role),
    bodyLimit,
  });
  const actor = (request: FastifyRequest) => `api-key:${request.apiKey!.id}`;

  typed.post(
    '/registry/persons',
    {
      ...guarded('registrar'),
      schema: {
        body: z.strictObject({ person: personData, office: z.string().trim().min(1).max(200) }),
        response: {
          201: z.object({ outcome: z.literal('created'), person: personPresenter }),
          202: z.object({
            outcome: z.literal('review'),
            person: personPresenter,
            case_id: z.string(),
            candidates: z.array(matchPresenter),
          }),
          409: z.object({
            outcome: z.literal('duplicate'),
            error: z.literal('DUPLICATE'),
            error_description: z.string(),
            match: matchPresenter,
          }),
        },
      },
    },
    async (request, reply) => {
      const result: EnrolmentResult = await enrolPerson(
        { data: request.body.person as PersonData, registrar: actor(request), office: request.body.office },
        context(),
      );
      request.log.info({ outcome: result.outcome, apiKey: request.apiKey?.id }, 'enrolment');
      if (result.outcome === 'created') {
        return reply.code(201).send({ outcome: 'created' as const, person: presentPerson(result.person) });
      }
      if (result.outcome === 'review') {
        return reply.code(202).send({
          outcome: 'review' as const,
          person: presentPerson(result.person),
          case_id: result.caseId,
          candidates: result.candidates.map(presentMatch),
        });
      }
      return reply.code(409).send({
        outcome: 'duplicate' as const,
        error: 'DUPLICATE' as const,
        error_description: 'this person is enrolled already: nothing was created',
        match: presentMatch(result.match),
      });
    },
  );

  // A read names its purpose; it is recorded (who, when, why) before the record is returned.
  typed.get(
    '/registry/persons/:id',
    {
      ...guarded('registrar'),
      schema: { params: idParams, querystring: purposeQuery, response: { 200: personPresenter } },
    },
    async (request) => {
      const { person } = await readPerson(
        { personId: request.params.id, accessor: actor(request), purpose: request.query.purpose },
        context(),
      );
      return presentPerson(person);
    },
  );

  typed.get(
    '/registry/persons',
    {
      ...guarded('registrar'),
      schema: {
        querystring: purposeQuery.extend({ uin: z.string().regex(/^\d{6,20}$/) }),
        response: { 200: personPresenter },
      },
    },
    async (request) => {
      const { person } = await readPerson(
        { uin: request.query.uin, accessor: actor(request), purpose: request.query.purpose },
        context(),
      );
      return presentPerson(person);
    },
  );

  typed.put(
    '/registry/persons/:id',
    {
      ...guarded('registrar'),
      schema: {
        params: idParams,
        body: z.strictObject({
          person: personData,
          expected_version: z.number().int().min(1),
          reason: z.string().trim().min(3).max(300),
        }),
        response: { 200: z.object({ person: personPresenter, effects: effectsPresenter }) },
      },
    },
    async (request) =>
      stores.transaction(async (tx) => {
        const { person, effects } = await updatePerson(
          {
            personId: request.params.id,
            data: request.body.person as PersonData,
            expectedVersion: request.body.expected_version,
            by: actor(request),
            reason: request.body.reason,
          },
          context(tx),
        );
        const applied = await applyCredentialEffects(effects, issuance, tx);
        return {
          person: presentPerson(person),
          effects: { credentials_changed: applied.changed, reissue: effects.reissue },
        };
      }),
  );

  const stateChange = (
    path: string,
    change: typeof deactivatePerson,
    role: 'registrar' | 'supervisor' = 'registrar',
  ) =>
    typed.post(
      `/registry/persons/:id/${path}`,
      {
        ...guarded(role),
        schema: {
          params: idParams,
          body: reasonBody,
          response: { 200: z.object({ person: personPresenter, effects: effectsPresenter }) },
        },
      },
      async (request) =>
        stores.transaction(async (tx) => {
          const { person, effects } = await change(
            { personId: request.params.id, by: actor(request), reason: request.body.reason },
            context(tx),
          );
          const applied = await applyCredentialEffects(effects, issuance, tx);
          return {
            person: presentPerson(person),
            effects: { credentials_changed: applied.changed, reissue: effects.reissue },
          };
        }),
    );
  stateChange('deactivate', deactivatePerson);
  stateChange('reactivate', reactivatePerson, 'supervisor');

  typed.post(
    '/registry/persons/:id/death',
    {
      ...guarded('registrar'),
      schema: {
        params: idParams,
        body: reasonBody.extend({ date_of_death: partialDate }),
        response: { 200: z.object({ person: personPresenter, effects: effectsPresenter }) },
      },
    },
    async (request) =>
      stores.transaction(async (tx) => {
        const { person, effects } = await recordDeath(
          {
            personId: request.params.id,
            by: actor(request),
            reason: request.body.reason,
            dateOfDeath: request.body.date_of_death,
          },
          context(tx),
        );
        const applied = await applyCredentialEffects(effects, issuance, tx);
        return {
          person: presentPerson(person),
          effects: { credentials_changed: applied.changed, reissue: effects.reissue },
        };
      }),
  );

  // The adjudication queue: grey-zone enrolments waiting for a supervisor.
  typed.get(
    '/registry/cases',
    {
      ...guarded('supervisor'),
      schema: {
        querystring: z.object({
          state: z.enum(['pending', 'decided']).default('pending'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            cases: z.array(
              z.object({
                id: z.string(),
                subject_id: z.string(),
                state: z.enum(['pending', 'decided']),
                created_at: z.number(),
                candidates: z.array(z.object({ person_id: z.string(), score: z.number() })),
                decision: z
                  .object({
                    outcome: z.enum(['distinct', 'same']),
                    survivor_id: z.string().optional(),
                    supervisor: z.string(),
                    at: z.number(),
                  })
                  .optional(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      cases: (
        await stores.registry.listCases({ state: request.query.state, limit: request.query.limit })
      ).map((c) => ({
        id: c.id,
        subject_id: c.subjectId,
        state: c.state,
        created_at: c.createdAt,
        candidates: c.candidates.map((k) => ({ person_id: k.personId, score: k.score })),
        ...(c.decision
          ? {
              decision: {
                outcome: c.decision.outcome,
                ...(c.decision.survivorId ? { survivor_id: c.decision.survivorId } : {}),
                supervisor: c.decision.supervisor,
                at: c.decision.at,
              },
            }
          : {}),
      })),
    }),
  );

  typed.post(
    '/registry/cases/:id/decision',
    {
      ...guarded('supervisor'),
      schema: {
        params: idParams,
        body: z.strictObject({
          outcome: z.enum(['distinct', 'same']),
          survivor_id: z.string().max(64).optional(),
          note: z.string().max(1000).optional(),
        }),
        response: {
          200: z.object({
            subject: personPresenter,
            survivor: personPresenter.optional(),
            effects: effectsPresenter,
          }),
        },
      },
    },
    async (request) =>
      stores.transaction(async (tx) => {
        const result = await adjudicateCase(
          {
            caseId: request.params.id,
            outcome: request.body.outcome,
            ...(request.body.survivor_id ? { survivorId: request.body.survivor_id } : {}),
            ...(request.body.note ? { note: request.body.note } : {}),
            supervisor: actor(request),
          },
          context(tx),
        );
        const applied = await applyCredentialEffects(result.effects, issuance, tx);
        return {
          subject: presentPerson(result.subject),
          ...(result.survivor ? { survivor: presentPerson(result.survivor) } : {}),
          effects: { credentials_changed: applied.changed, reissue: result.effects.reissue },
        };
      }),
  );

  // "Who looked at my data": every recorded read of the record.
  typed.get(
    '/registry/persons/:id/accesses',
    {
      ...guarded('registrar'),
      schema: {
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z.object({
            accesses: z.array(z.object({ accessor: z.string(), purpose: z.string(), at: z.number() })),
          }),
        },
      },
    },
    async (request) => ({
      accesses: (await listAccesses(request.params.id, context(), { limit: request.query.limit })).map(
        (a) => ({
          accessor: a.accessor,
          purpose: a.purpose,
          at: a.at,
        }),
      ),
    }),
  );

  typed.post(
    '/registry/persons/:id/vids',
    {
      ...guarded('registrar'),
      schema: {
        params: idParams,
        body: z.strictObject({ service: z.string().trim().min(1).max(200) }),
        response: { 201: z.object({ vid: z.string(), id: z.string(), service: z.string() }) },
      },
    },
    async (request, reply) => {
      const { vid, record } = await issueVid(
        { personId: request.params.id, service: request.body.service },
        context(),
      );
      return reply.code(201).send({ vid, id: record.id, service: record.service });
    },
  );

  typed.delete(
    '/registry/vids/:id',
    {
      ...guarded('registrar'),
      schema: { params: idParams, response: { 200: z.object({ id: z.string(), revoked_at: z.number() }) } },
    },
    async (request) => {
      const record = await revokeVid({ id: request.params.id }, context());
      return { id: record.id, revoked_at: record.revokedAt ?? issuance.clock.now() };
    },
  );

  // The assisted channel: an OpenID4VCI offer with a transaction code, for the registrar to print
  // on the enrolment receipt: of the national identity credential (default), of a batch of
  // proofs of age (not linked to the record: they carry no status and lapse in days), or of the
  // guardian credential for one of the person's minor children (linked to both records, so the
  // death or deactivation of either revokes it; it ends at the child's majority).
  typed.post(
    '/registry/persons/:id/credential-offer',
    {
      ...guarded('registrar'),
      schema: {
        params: idParams,
        body: z
          .strictObject({
            credential: z.enum(['national_identity', 'age', 'guardian']).default('national_identity'),
            child_id: idParams.shape.id.optional(),
          })
          .nullish(),
        response: {
          201: z.object({
            offer_id: z.string(),
            credential_configuration_id: z.string(),
            tx_code: z.string(),
            expires_at: z.number(),
            credential_offer_uri: z.string(),
            links: z.object({ by_reference: z.string(), by_value: z.string() }),
            qr: z.object({ png: z.string(), svg: z.string() }),
          }),
        },
      },
    },
    async (request, reply) => {
      const kind = request.body?.credential ?? 'national_identity';
      if ((kind === 'guardian') !== (request.body?.child_id !== undefined)) {
        throw new ServerError(
          'VALIDATION_FAILED',
          'child_id is required for, and only for, a guardian credential',
        );
      }
      const credentialConfigurationId =
        kind === 'age' ? ageConfigurationId : kind === 'guardian' ? guardianConfigurationId : configurationId;
      const created: CreatedCredentialOffer = await stores.transaction(async (tx) => {
        const person = await tx.registry.getPerson(request.params.id);
        if (!person) throw new ServerError('NOT_FOUND', 'no person with this id');
        if (person.state !== 'active') {
          throw new ServerError('VALIDATION_FAILED', 'only an active record can receive a credential');
        }
        const now = issuance.clock.now();
        let claims: JsonObject;
        let linked: string[] = [person.id];
        let credentialExpiresAt: number | undefined;
        if (kind === 'age') {
          claims = ageClaims(person, now, rules);
          linked = [];
        } else if (kind === 'guardian') {
          const child = await tx.registry.getPerson(request.body!.child_id!);
          if (!child) throw new ServerError('NOT_FOUND', 'no child with this id');
          const guardian = guardianClaims(person, child, now, rules);
          claims = guardian.claims;
          credentialExpiresAt = guardian.expiresAt;
          linked = [person.id, child.id];
        } else {
          claims = nationalIdentityClaims(person, now, rules);
        }
        const offer = await createCredentialOffer(
          {
            credentialConfigurationId,
            claims,
            subject: `registry:${person.id}`,
            txCode: { length: 6, description: 'The code printed on your enrolment receipt' },
            ...(credentialExpiresAt === undefined ? {} : { credentialExpiresAt }),
            createdBy: request.apiKey!.id,
          },
          { stores: tx, clock: issuance.clock, issuer: issuance.issuer, configurations: deps.configurations },
        );
        if (linked.length > 0) await tx.settings.set(offerPersonKey(offer.id), linked.join(','));
        return offer;
      });
      request.log.info(
        { offer: created.id, configuration: credentialConfigurationId, apiKey: request.apiKey?.id },
        'registry credential offer',
      );
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          offer_id: created.id,
          credential_configuration_id: credentialConfigurationId,
          tx_code: created.txCode!,
          expires_at: created.expiresAt,
          credential_offer_uri: created.credentialOfferUri,
          links: { by_reference: created.links.byReference, by_value: created.links.byValue },
          qr: created.qr,
        });
    },
  );

  // The paper ID: a printable PDF, or its PNG, with a signed Claim 169 QR code.
  typed.get(
    '/registry/persons/:id/paper-id',
    {
      ...guarded('registrar'),
      schema: {
        params: idParams,
        querystring: purposeQuery.extend({ format: z.enum(['pdf', 'png']).default('pdf') }),
      },
    },
    async (request, reply) => {
      const { person } = await readPerson(
        { personId: request.params.id, accessor: actor(request), purpose: request.query.purpose },
        context(),
      );
      if (person.state !== 'active' || !person.uin) {
        throw new ServerError('VALIDATION_FAILED', 'only an active record has a paper ID');
      }
      const jurisdiction = {
        code: (await stores.settings.get('jurisdiction')) ?? 'XA',
        name: (await stores.settings.get('jurisdiction.name')) ?? 'Demo Republic of XA',
      };
      const printed = await printPaperId(person, issuance, jurisdiction);
      const pdf = request.query.format === 'pdf';
      return reply
        .header('cache-control', 'no-store')
        .type(pdf ? 'application/pdf' : 'image/png')
        .send(Buffer.from(pdf ? printed.pdf : printed.png));
    },
  );
}

/**
 * The issuer's hook: credentials issued for a registry offer are linked to the person, in the
 * issuance transaction, so a later change of the record (update, deactivation, death) reaches
 * their status. A change made between the offer and its redemption is caught here: a record no
 * longer active, or a guardian link removed since, refuses the issuance (OpenID4VCI 1.0 §8.3.1.2
 * `credential_request_denied`), and the transaction issues nothing.
 */
export async function onRegistryCredentialsIssued(
  tx: IssuanceContext['stores'],
  offerId: string,
  credentialIds: readonly string[],
  now: number,
): Promise<void> {
  const personIds = await tx.settings.get(offerPersonKey(offerId));
  if (!personIds) return;
  const ids = personIds.split(',');
  const persons = await Promise.all(ids.map((id) => tx.registry.getPerson(id)));
  if (persons.some((person) => person?.state !== 'active')) {
    throw new ServerError(
      'credential_request_denied',
      'the registry record changed since the offer was made',
    );
  }
  const [guardian, child] = persons;
  if (child && !(child.data.guardians ?? []).some((link) => link.personId === guardian!.id)) {
    throw new ServerError(
      'credential_request_denied',
      'the guardian link was removed since the offer was made',
    );
  }
  for (const personId of ids) {
    for (const id of credentialIds) await tx.registry.linkCredential(personId, id, now);
  }
}

/**
 * The holder's proof behind the `/registry/me/*` routes: a presentation of their national identity
 * credential that discloses `personal_identifier` only, bound by a KB-JWT to a fresh nonce of this
 * server (`POST /nonce`, consumed here: a replay fails) and to the route as audience. The
 * credential must be this installation's, unexpired and not revoked or suspended (read live from
 * the store); the KB-JWT proves the caller holds its key. The UIN it carries (signed by the issuer
 * with the holder key) names the record, which is returned.
 */
export async function verifyRegistryHolder(
  body: { presentation: string; nonce: string },
  audience: string,
  deps: { issuance: IssuanceContext; vct: string },
): Promise<PersonRecord> {
  const { issuance } = deps;
  const { stores } = issuance;
  const statusPrefix = `${issuance.statusBaseUri.replace(/\/+$/, '')}/`;
  const now = issuance.clock.now();
  if (!(await stores.credentialOffers.consumeNonce(body.nonce, now))) {
    throw new ServerError('UNAUTHORIZED', 'the nonce is not a live nonce of this server');
  }
  let verified: Awaited<ReturnType<typeof verifySdJwtVc>>;
  try {
    verified = await verifySdJwtVc(
      body.presentation,
      { nonce: body.nonce, aud: audience, requireKeyBinding: true, expectedVct: deps.vct, now },
      {
        crypto: issuance.crypto,
        clock: issuance.clock,
        issuerKeys: {
          async resolve({ iss, kid }) {
            if (iss !== issuance.issuer || kid === undefined) return undefined;
            const key = await stores.keys.get(kid);
            return key && key.state !== 'pending' ? key.publicJwk : undefined;
          },
        },
        status: {
          async resolve(reference) {
            if (reference.iss !== issuance.issuer || !reference.uri.startsWith(statusPrefix)) {
              throw new TriesteError('STATUS_UNAVAILABLE', 'not a status list of this installation');
            }
            return stores.statusLists.getStatus(reference.uri.slice(statusPrefix.length), reference.idx);
          },
        },
      },
    );
  } catch (error) {
    if (isTriesteError(error)) {
      throw new ServerError(
        'UNAUTHORIZED',
        `the presentation does not prove a credential of this registry (${error.code})`,
      );
    }
    throw error;
  }
  // A national identity credential always has a status entry: one without cannot be checked.
  if (verified.status?.value !== 0) {
    throw new ServerError('UNAUTHORIZED', 'the credential is not valid');
  }
  const uin = verified.claims['personal_identifier'];
  if (typeof uin !== 'string') {
    throw new ServerError('VALIDATION_FAILED', 'the presentation must disclose personal_identifier');
  }
  const person = await stores.registry.getPersonByUin(uin);
  if (!person) throw new ServerError('NOT_FOUND', 'no record for this credential');
  return person;
}

const holderProofBody = z.strictObject({
  presentation: z.string().min(10).max(12_000),
  nonce: z.string().min(16).max(128),
});

/**
 * The person's own routes, authenticated by `verifyRegistryHolder` (no API key):
 *
 * - "Who looked at my data": `POST /registry/me/accesses` returns the accesses without accessor
 *   internals beyond the name recorded, and this read is itself recorded.
 * - The top-up of proofs of age: `POST /registry/me/age-credentials` answers a pre-authorized
 *   offer of the age credential without tx_code (the holder has just proved their key), valid 10
 *   minutes, with claims derived now from the record's date of birth; the wallet fetches a fresh
 *   batch through the ordinary OpenID4VCI flow. Only for an active record.
 */
export function holderAccessRoutes(
  app: FastifyInstance,
  deps: {
    issuance: IssuanceContext;
    vct: string;
    rateLimit: { max: number; timeWindow: number };
    /** For the top-up of proofs of age (absent: the route is not offered). */
    configurations?: CredentialConfigurations;
    ageConfigurationId?: string;
    rules?: Pick<JurisdictionRules, 'ageThresholds' | 'offsetMinutes'>;
  },
): void {
  const { issuance } = deps;
  const { stores } = issuance;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const base = issuance.issuer.replace(/\/+$/, '');
  typed.post(
    '/registry/me/accesses',
    {
      config: { rateLimit: deps.rateLimit },
      bodyLimit: 16 * 1024,
      schema: {
        body: holderProofBody,
        response: {
          200: z.object({
            accesses: z.array(z.object({ accessor: z.string(), purpose: z.string(), at: z.number() })),
          }),
        },
      },
    },
    async (request, reply) => {
      const person = await verifyRegistryHolder(request.body, `${base}/registry/me/accesses`, deps);
      const context: RegistryContext = { stores, crypto: issuance.crypto, clock: issuance.clock };
      const accesses = await listAccesses(person.id, context, { limit: 500 });
      await recordAccess(
        {
          personId: person.id,
          accessor: 'the person (wallet)',
          purpose: 'the person viewed their access history',
        },
        context,
      );
      return reply.header('cache-control', 'no-store').send({
        accesses: accesses.map((a) => ({ accessor: a.accessor, purpose: a.purpose, at: a.at })),
      });
    },
  );

  const configurations = deps.configurations;
  if (!configurations) return;
  const ageConfigurationId = deps.ageConfigurationId ?? 'age_xa';
  typed.post(
    '/registry/me/age-credentials',
    {
      config: { rateLimit: deps.rateLimit },
      bodyLimit: 16 * 1024,
      schema: {
        body: holderProofBody,
        response: {
          201: z.object({
            offer_id: z.string(),
            credential_offer_uri: z.string(),
            links: z.object({ by_reference: z.string(), by_value: z.string() }),
            expires_at: z.number(),
            credential_configuration_id: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const person = await verifyRegistryHolder(request.body, `${base}/registry/me/age-credentials`, deps);
      if (person.state !== 'active') {
        throw new TriesteError(
          'PERSON_STATE_CONFLICT',
          'the record is not active: no proof of age is issued',
        );
      }
      const created = await createCredentialOffer(
        {
          credentialConfigurationId: ageConfigurationId,
          claims: ageClaims(person, issuance.clock.now(), deps.rules),
          subject: `registry:${person.id}`,
          txCode: false,
          expiresInSeconds: AGE_TOP_UP_OFFER_SECONDS,
        },
        { stores, clock: issuance.clock, issuer: issuance.issuer, configurations },
      );
      request.log.info(
        { offer: created.id, configuration: ageConfigurationId },
        'age credential top-up offer',
      );
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          offer_id: created.id,
          credential_offer_uri: created.credentialOfferUri,
          links: { by_reference: created.links.byReference, by_value: created.links.byValue },
          expires_at: created.expiresAt,
          credential_configuration_id: ageConfigurationId,
        });
    },
  );
}

/** A top-up offer is fetched by the wallet right away: it lives 10 minutes. */
const AGE_TOP_UP_OFFER_SECONDS = 600;
