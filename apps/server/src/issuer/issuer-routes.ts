import type { IssuanceContext } from '@trieste/core';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../http/authenticate.js';
import { ServerError } from '../http/errors.js';
import { classifyError, sendError } from '../http/send-error.js';
import { type AuthorizationRefusal, authorizeHolder, parseAuthorizationRequest } from './authorize-holder.js';
import {
  AUTHORIZATION_CODE_GRANT,
  createCredentialOffer,
  DEFAULT_OFFER_SECONDS,
  offerDocument,
  PRE_AUTHORIZED_GRANT,
} from './create-credential-offer.js';
import type { CredentialConfigurations } from './credential-configurations.js';
import { type HolderAuthenticator, offerLoginAuthenticator } from './holder-authentication.js';
import { issueOfferedCredentials, type OnCredentialsIssued } from './issue-offered-credentials.js';
import {
  authorizationServerMetadata,
  credentialIssuerMetadata,
  issuerEndpoints,
  jwtVcIssuerMetadata,
} from './issuer-metadata.js';
import { redeemAuthorizationCode } from './redeem-authorization-code.js';
import { redeemPreAuthorizedCode } from './redeem-pre-authorized-code.js';
import { randomSecret } from './secrets.js';

export interface IssuerRouteDeps {
  issuance: IssuanceContext;
  configurations: CredentialConfigurations;
  rateLimit: { max: number; timeWindow: number };
  /** Who may log in at /authorize; default: the demo login set on each offer by its registrar. */
  authenticator?: HolderAuthenticator;
  /** Runs in the issuance transaction (e.g. the registry links the credentials to the person). */
  onIssued?: OnCredentialsIssued;
}

/** c_nonces live this long (OpenID4VCI 1.0 §7.2): enough to sign proofs, short for replay. */
export const NONCE_SECONDS = 300;

const createOfferBody = z.strictObject({
  credential_configuration_id: z.string().min(1).max(200),
  claims: z.record(z.string().min(1).max(100), z.json()),
  subject: z.string().min(1).max(200).optional(),
  /** `authorization_code`: the holder logs in (with `login`) instead of typing a tx_code. */
  grant: z.enum(['pre-authorized_code', AUTHORIZATION_CODE_GRANT]).optional(),
  login: z
    .strictObject({
      username: z.string().min(1).max(200),
      password: z.string().min(8).max(256),
    })
    .optional(),
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
    [PRE_AUTHORIZED_GRANT]: z
      .object({
        'pre-authorized_code': z.string(),
        tx_code: txCodePresenter.optional(),
      })
      .optional(),
    [AUTHORIZATION_CODE_GRANT]: z.object({ issuer_state: z.string() }).optional(),
  }),
});
// The presenter of a created offer: the registrar receives the tx_code once, here, for the holder.
const createdOfferPresenter = z.object({
  offer_id: z.string(),
  expires_at: z.number(),
  tx_code: z.string().optional(),
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
      const withLogin = body.grant === AUTHORIZATION_CODE_GRANT;
      if (withLogin !== (body.login !== undefined)) {
        throw new ServerError(
          'VALIDATION_FAILED',
          'invalid request: login is required with, and only with, grant authorization_code',
        );
      }
      // Claims of a registry-derived credential are never the caller's to write (a guardian
      // credential for a made-up child, or valid 18 years; a proof of age for a made-up birth date).
      const configuration = Object.hasOwn(
        configurations.credential_configurations,
        body.credential_configuration_id,
      )
        ? configurations.credential_configurations[body.credential_configuration_id]
        : undefined;
      if (configuration?.offered_by === 'registry') {
        throw new ServerError(
          'OFFER_REGISTRY_ONLY',
          'this credential is offered only through POST /registry/persons/{id}/credential-offer (its claims come from the registry)',
        );
      }
      const created = await createCredentialOffer(
        {
          credentialConfigurationId: body.credential_configuration_id,
          claims: body.claims,
          ...(body.subject === undefined ? {} : { subject: body.subject }),
          ...(body.tx_code === undefined ? {} : { txCode: body.tx_code }),
          ...(body.login === undefined ? {} : { login: body.login }),
          expiresInSeconds: body.expires_in ?? DEFAULT_OFFER_SECONDS,
          ...(request.apiKey ? { createdBy: request.apiKey.id } : {}),
        },
        { stores, clock, issuer, configurations },
      );
      request.log.info(
        {
          offer: created.id,
          configuration: body.credential_configuration_id,
          grant: withLogin ? AUTHORIZATION_CODE_GRANT : 'pre-authorized_code',
          apiKey: request.apiKey?.id,
        },
        'credential offer created',
      );
      noStore(reply);
      return {
        offer_id: created.id,
        expires_at: created.expiresAt,
        ...(created.txCode === undefined ? {} : { tx_code: created.txCode }),
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
        const now = clock.now();
        const [record, code] = await Promise.all([
          stores.credentialOffers.get(id),
          stores.credentialOffers.preAuthorizedCode(id, now),
        ]);
        // An offer with a login is served while the holder has not logged in yet.
        const served = record?.login
          ? record.state === 'offered' && record.expiresAt > now
          : record !== undefined && code !== undefined;
        if (!record || !served) throw new ServerError('NOT_FOUND', 'no such credential offer');
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
      if (form['grant_type'] === AUTHORIZATION_CODE_GRANT) {
        const code = form['code'];
        if (!code || code.length > 128) throw new ServerError('invalid_request', 'code is missing');
        for (const name of ['code_verifier', 'client_id', 'redirect_uri'] as const) {
          if (form[name] === undefined) throw new ServerError('invalid_request', `${name} is missing`);
          if (form[name].length > 2000) throw new ServerError('invalid_request', `${name} is too long`);
        }
        const token = await redeemAuthorizationCode(
          {
            code,
            codeVerifier: form['code_verifier']!,
            clientId: form['client_id']!,
            redirectUri: form['redirect_uri']!,
          },
          { stores, clock },
        );
        request.log.info('authorization code redeemed');
        return noStore(reply).send(token);
      }
      if (form['grant_type'] !== PRE_AUTHORIZED_GRANT) {
        throw new ServerError(
          'unsupported_grant_type',
          'only the pre-authorized code and authorization code grants are supported',
        );
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

    // The authorization endpoint (RFC 6749 §4.1, OpenID4VCI 1.0 §5): GET checks the request and
    // shows the login; POST (the login form) authenticates the holder and redirects with a code.
    const authenticator = deps.authenticator ?? offerLoginAuthenticator({ stores });
    const authorizeEndpoint = issuerEndpoints(issuer).authorize;
    const authorize = async (
      input: Record<string, string> | undefined,
      form: Record<string, string> | undefined,
      reply: FastifyReply,
      log: FastifyBaseLogger,
    ) => {
      noStore(reply);
      if (!input) return errorPage(reply, 'a parameter is repeated');
      const parsed = parseAuthorizationRequest(input, { issuer, configurations });
      if (!parsed.ok) {
        return parsed.redirect
          ? redirectTo(
              reply,
              parsed.redirect.uri,
              refusalParameters(parsed.refusal, parsed.redirect.state, issuer),
            )
          : errorPage(reply, parsed.refusal.description);
      }
      const { request: authorization, parameters } = parsed;
      const page = (failed: boolean) =>
        reply
          .code(failed ? 401 : 200)
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', loginPagePolicy(authorization.redirectUri))
          .send(authenticator.loginPage({ action: authorizeEndpoint, parameters, failed }));
      if (!form) return page(false);
      const outcome = await authorizeHolder(authorization, form, { stores, clock, authenticator });
      if (!outcome.ok && outcome.retry) {
        log.info({ offer: authorization.offerId }, 'holder login failed');
        return page(true);
      }
      if (!outcome.ok) {
        log.info({ offer: authorization.offerId, error: outcome.refusal.error }, 'authorization refused');
        return redirectTo(
          reply,
          authorization.redirectUri,
          refusalParameters(outcome.refusal, authorization.state, issuer),
        );
      }
      log.info({ offer: authorization.offerId }, 'holder authorized');
      return redirectTo(reply, authorization.redirectUri, {
        code: outcome.code,
        ...(authorization.state === undefined ? {} : { state: authorization.state }),
        iss: issuer,
      });
    };
    scoped.get('/authorize', limited, async (request, reply) =>
      authorize(singleValued(request.query), undefined, reply, request.log),
    );
    scoped.post('/authorize', limited, async (request, reply) => {
      if (!isForm(request.headers['content-type']))
        return errorPage(noStore(reply), 'the login form must be posted');
      const body = (request.body ?? {}) as Record<string, string>;
      const { username, password, ...input } = body;
      return authorize(
        input,
        { ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) },
        reply,
        request.log,
      );
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
      const issued = await issueOfferedCredentials(match[1]!, request.body, {
        issuance,
        configurations,
        ...(deps.onIssued ? { onIssued: deps.onIssued } : {}),
      });
      request.log.info({ offer: issued.offerId, credentials: issued.credentialIds }, 'credentials issued');
      return noStore(reply).send({ credentials: issued.credentials });
    });
  });
}

/** A query whose every parameter occurs once, or undefined (RFC 6749 §3.1: none may repeat). */
function singleValued(query: unknown): Record<string, string> | undefined {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') return undefined;
    if (value !== '') out[name] = value;
  }
  return out;
}

/** RFC 6749 §4.1.2.1 error parameters, with RFC 9207's `iss`. */
function refusalParameters(
  refusal: AuthorizationRefusal,
  state: string | undefined,
  issuer: string,
): Record<string, string> {
  return {
    error: refusal.error,
    error_description: refusal.description,
    ...(state === undefined ? {} : { state }),
    iss: issuer,
  };
}

function redirectTo(reply: FastifyReply, uri: string, parameters: Record<string, string>) {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(parameters)) url.searchParams.append(name, value);
  return reply.code(303).header('location', url.href).send();
}

/** Without a valid client and redirect URI, the browser is told, not redirected (RFC 6749 §4.1.2.1). */
function errorPage(reply: FastifyReply, description: string) {
  const text = description.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return reply
    .code(400)
    .header('content-type', 'text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Invalid request</title></head><body><h1>Invalid authorization request</h1><p>${text}</p></body></html>\n`,
    );
}

/**
 * The login page's CSP: no script, no framing; the form may post only here, and (for browsers
 * that apply form-action to redirects) be redirected only to the wallet's redirect URI.
 */
function loginPagePolicy(redirectUri: string): string {
  const url = new URL(redirectUri);
  const target = url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : url.protocol;
  return `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${target}; frame-ancestors 'none'; base-uri 'none'`;
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
