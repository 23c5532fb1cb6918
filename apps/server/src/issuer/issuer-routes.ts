import type { IssuanceContext } from '@trieste/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../http/authenticate.js';
import { ServerError } from '../http/errors.js';
import { classifyError, sendError } from '../http/send-error.js';
import {
  createCredentialOffer,
  DEFAULT_OFFER_SECONDS,
  offerDocument,
  PRE_AUTHORIZED_GRANT,
} from './create-credential-offer.js';
import type { CredentialConfigurations } from './credential-configurations.js';
import { issueOfferedCredentials } from './issue-offered-credentials.js';
import {
  authorizationServerMetadata,
  credentialIssuerMetadata,
  jwtVcIssuerMetadata,
} from './issuer-metadata.js';
import { redeemPreAuthorizedCode } from './redeem-pre-authorized-code.js';
import { randomSecret } from './secrets.js';

export interface IssuerRouteDeps {
  issuance: IssuanceContext;
  configurations: CredentialConfigurations;
  rateLimit: { max: number; timeWindow: number };
}

/** c_nonces live this long (OpenID4VCI 1.0 §7.2): enough to sign proofs, short for replay. */
export const NONCE_SECONDS = 300;

const createOfferBody = z.strictObject({
  credential_configuration_id: z.string().min(1).max(200),
  claims: z.record(z.string().min(1).max(100), z.json()),
  subject: z.string().min(1).max(200).optional(),
  tx_code: z
    .strictObject({
      length: z.number().int().min(4).max(8).optional(),
      description: z.string().max(300).optional(),
    })
    .optional(),
  expires_in: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .optional(),
});

const txCodePresenter = z.object({
  input_mode: z.enum(['numeric', 'text']),
  length: z.number(),
  description: z.string().optional(),
});
const offerPresenter = z.object({
  credential_issuer: z.string(),
  credential_configuration_ids: z.array(z.string()),
  grants: z.object({
    [PRE_AUTHORIZED_GRANT]: z.object({
      'pre-authorized_code': z.string(),
      tx_code: txCodePresenter.optional(),
    }),
  }),
});
// The presenter of a created offer: the registrar receives the tx_code once, here, for the holder.
const createdOfferPresenter = z.object({
  offer_id: z.string(),
  expires_at: z.number(),
  tx_code: z.string(),
  credential_offer: offerPresenter,
  credential_offer_uri: z.string(),
  links: z.object({ by_reference: z.string(), by_value: z.string() }),
  qr: z.object({ png: z.string(), svg: z.string() }),
});

const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');

/**
 * The OpenID4VCI 1.0 issuer: metadata, the registrar's offers, and the protocol endpoints a wallet
 * calls (offer by reference, token, nonce, credential). Protocol endpoints answer with OAuth error
 * codes: the scope below maps a malformed request to `invalid_request` and leaves the rest to the
 * one error handler and its table.
 */
export async function issuerRoutes(app: FastifyInstance, deps: IssuerRouteDeps): Promise<void> {
  const { issuance, configurations } = deps;
  const { stores, clock, issuer } = issuance;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const metadata = credentialIssuerMetadata(issuer, configurations);
  const asMetadata = authorizationServerMetadata(issuer);

  app.get('/.well-known/openid-credential-issuer', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(metadata),
  );
  app.get('/.well-known/oauth-authorization-server', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(asMetadata),
  );
  app.get('/.well-known/jwt-vc-issuer', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=60')
      .send(jwtVcIssuerMetadata(issuer, await stores.keys.list())),
  );

  typed.post(
    '/admin/offers',
    {
      config: { rateLimit: deps.rateLimit },
      preParsing: requireRole(stores.apiKeys, 'registrar'),
      bodyLimit: 32 * 1024,
      schema: { body: createOfferBody, response: { 200: createdOfferPresenter } },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await createCredentialOffer(
        {
          credentialConfigurationId: body.credential_configuration_id,
          claims: body.claims,
          ...(body.subject === undefined ? {} : { subject: body.subject }),
          ...(body.tx_code === undefined ? {} : { txCode: body.tx_code }),
          expiresInSeconds: body.expires_in ?? DEFAULT_OFFER_SECONDS,
          ...(request.apiKey ? { createdBy: request.apiKey.id } : {}),
        },
        { stores, clock, issuer, configurations },
      );
      request.log.info(
        { offer: created.id, configuration: body.credential_configuration_id, apiKey: request.apiKey?.id },
        'credential offer created',
      );
      noStore(reply);
      return {
        offer_id: created.id,
        expires_at: created.expiresAt,
        tx_code: created.txCode,
        credential_offer: created.offer,
        credential_offer_uri: created.credentialOfferUri,
        links: { by_reference: created.links.byReference, by_value: created.links.byValue },
        qr: created.qr,
      };
    },
  );

  await app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => sendError(request, reply, asOauthError(error)));
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => {
        try {
          done(null, parseForm(body as string));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    );
    const scoped = scope.withTypeProvider<ZodTypeProvider>();
    const limited = { config: { rateLimit: deps.rateLimit } };

    // The offer by reference (OpenID4VCI 1.0 §4.1.3): served while the code is unredeemed.
    scoped.get(
      '/credential-offer/:id',
      { ...limited, schema: { params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) }) } },
      async (request, reply) => {
        const id = request.params.id;
        const [record, code] = await Promise.all([
          stores.credentialOffers.get(id),
          stores.credentialOffers.preAuthorizedCode(id, clock.now()),
        ]);
        if (!record || code === undefined) throw new ServerError('NOT_FOUND', 'no such credential offer');
        return noStore(reply).send(offerDocument(issuer, record, code));
      },
    );

    scoped.post('/token', limited, async (request, reply) => {
      if (!isForm(request.headers['content-type'])) {
        throw new ServerError(
          'invalid_request',
          'the token request must be application/x-www-form-urlencoded',
        );
      }
      const form = (request.body ?? {}) as Record<string, string>;
      if (form['grant_type'] === undefined) throw new ServerError('invalid_request', 'grant_type is missing');
      if (form['grant_type'] !== PRE_AUTHORIZED_GRANT) {
        throw new ServerError('unsupported_grant_type', 'only the pre-authorized code grant is supported');
      }
      const code = form['pre-authorized_code'];
      if (!code || code.length > 128)
        throw new ServerError('invalid_request', 'pre-authorized_code is missing');
      const txCode = form['tx_code'];
      if (txCode !== undefined && txCode.length > 32)
        throw new ServerError('invalid_request', 'tx_code is too long');
      const token = await redeemPreAuthorizedCode(
        { preAuthorizedCode: code, ...(txCode === undefined ? {} : { txCode }) },
        { stores, clock },
      );
      request.log.info('pre-authorized code redeemed');
      return noStore(reply).send(token);
    });

    scoped.post('/nonce', limited, async (_request, reply) => {
      const nonce = randomSecret();
      await stores.credentialOffers.createNonce(nonce, clock.now() + NONCE_SECONDS);
      return noStore(reply).send({ c_nonce: nonce });
    });

    scoped.post('/credential', limited, async (request, reply) => {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer +([A-Za-z0-9_-]{1,128})\s*$/i.exec(header) : null;
      if (!match) throw new ServerError('invalid_token', 'a Bearer access token is required');
      const issued = await issueOfferedCredentials(match[1]!, request.body, { issuance, configurations });
      request.log.info({ offer: issued.offerId, credentials: issued.credentialIds }, 'credentials issued');
      return noStore(reply).send({ credentials: issued.credentials });
    });
  });
}

function isForm(contentType: string | undefined): boolean {
  return typeof contentType === 'string' && /^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType);
}

/** RFC 6749 §3.1: parameters sent without a value are omitted, and none may be repeated. */
function parseForm(body: string): Record<string, string> {
  const form: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(form, name)) throw new ServerError('invalid_request', 'a parameter is repeated');
    if (value !== '') form[name] = value;
  }
  return form;
}

/** A request the route could not even read is the protocol's `invalid_request`. */
function asOauthError(error: unknown): unknown {
  const { code, description } = classifyError(error);
  if (code === 'VALIDATION_FAILED' || code === 'UNSUPPORTED_MEDIA_TYPE') {
    return new ServerError('invalid_request', description, { cause: error });
  }
  return error;
}
