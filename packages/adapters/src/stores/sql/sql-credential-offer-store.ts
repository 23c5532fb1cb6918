import type { CredentialOfferRecord, CredentialOfferState, CredentialOfferStore } from '@trieste/core';
import type { Queryable } from '../../db/database.js';
import { toSafeInteger } from '../../db/database.js';
import { AdapterError } from '../../errors.js';
import {
  checkAuthorizationCode,
  checkNewCredentialOffer,
  checkNonce,
  checkThumbprint,
  isHashBytes,
  isOfferId,
  openClaims,
  openCode,
  sealClaims,
  sealCode,
} from '../credential-offer-checks.js';

interface OfferRow {
  id: string;
  credential_configuration_id: string;
  subject: string;
  pre_authorized_code_sha256: Uint8Array | null;
  tx_code_sha256: Uint8Array | null;
  tx_code_length: number | null;
  tx_code_input_mode: 'numeric' | 'text' | null;
  tx_code_description: string | null;
  state: CredentialOfferState;
  failed_tx_code_attempts: number | string;
  access_token_sha256: Uint8Array | null;
  access_token_expires_at: number | null;
  created_at: number;
  expires_at: number;
  created_by: string | null;
  login_username_sha256: Uint8Array | null;
  login_password_hash: string | null;
  authorization_code_sha256: Uint8Array | null;
  authorization_code_challenge: string | null;
  authorization_client_id: string | null;
  authorization_redirect_uri: string | null;
  authorization_code_expires_at: number | null;
}

// Never the sealed columns: only the methods that need a secret read it.
const COLUMNS = `id, credential_configuration_id, subject, pre_authorized_code_sha256, tx_code_sha256,
  tx_code_length, tx_code_input_mode, tx_code_description, state, failed_tx_code_attempts,
  access_token_sha256, access_token_expires_at, created_at, expires_at, created_by, login_username_sha256,
  login_password_hash, authorization_code_sha256, authorization_code_challenge, authorization_client_id,
  authorization_redirect_uri, authorization_code_expires_at`;

export function sqlCredentialOfferStore(db: Queryable, encryptionKey: Uint8Array): CredentialOfferStore {
  const one = async (sql: string, params: unknown[]) => {
    const row = (await db.query<OfferRow>(sql, params))[0];
    return row && toRecord(row);
  };
  return {
    async create(offer, secrets) {
      checkNewCredentialOffer(offer, secrets);
      const code =
        secrets.preAuthorizedCode === undefined
          ? undefined
          : sealCode(encryptionKey, offer.id, secrets.preAuthorizedCode);
      const claims = sealClaims(encryptionKey, offer.id, secrets.claims);
      // ON CONFLICT DO NOTHING: a duplicate is reported without aborting the caller's transaction.
      const rows = await db.query(
        `INSERT INTO credential_offers (id, credential_configuration_id, subject, pre_authorized_code_sha256,
           pre_authorized_code_ciphertext, pre_authorized_code_nonce, tx_code_sha256, tx_code_length,
           tx_code_input_mode, tx_code_description, claims_ciphertext, claims_nonce, state, created_at,
           expires_at, created_by, login_username_sha256, login_password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'offered', $13, $14, $15, $16, $17)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          offer.id,
          offer.credentialConfigurationId,
          offer.subject,
          offer.preAuthorizedCodeHash ?? null,
          code?.ciphertext ?? null,
          code?.nonce ?? null,
          offer.txCode?.hash ?? null,
          offer.txCode?.length ?? null,
          offer.txCode?.inputMode ?? null,
          offer.txCode?.description ?? null,
          claims.ciphertext,
          claims.nonce,
          offer.createdAt,
          offer.expiresAt,
          offer.createdBy ?? null,
          offer.login?.usernameHash ?? null,
          offer.login?.passwordHash ?? null,
        ],
      );
      if (rows.length === 0)
        throw new AdapterError('DUPLICATE', 'an offer with this id or code exists already');
    },
    get: async (id) =>
      isOfferId(id) ? one(`SELECT ${COLUMNS} FROM credential_offers WHERE id = $1`, [id]) : undefined,
    async preAuthorizedCode(id, now) {
      if (!isOfferId(id)) return undefined;
      const rows = await db.query<{ ciphertext: Uint8Array; nonce: Uint8Array }>(
        `SELECT pre_authorized_code_ciphertext AS ciphertext, pre_authorized_code_nonce AS nonce
         FROM credential_offers
         WHERE id = $1 AND state = 'offered' AND expires_at > $2 AND pre_authorized_code_ciphertext IS NOT NULL`,
        [id, now],
      );
      const row = rows[0];
      return (
        row &&
        openCode(encryptionKey, id, {
          ciphertext: new Uint8Array(row.ciphertext),
          nonce: new Uint8Array(row.nonce),
        })
      );
    },
    // FOR UPDATE: inside a transaction, concurrent redemptions of one code wait for each other.
    findByPreAuthorizedCodeHash: async (hash) =>
      isHashBytes(hash)
        ? one(`SELECT ${COLUMNS} FROM credential_offers WHERE pre_authorized_code_sha256 = $1 FOR UPDATE`, [
            hash,
          ])
        : undefined,
    findByAccessTokenHash: async (hash) =>
      isHashBytes(hash)
        ? one(`SELECT ${COLUMNS} FROM credential_offers WHERE access_token_sha256 = $1`, [hash])
        : undefined,
    findByAuthorizationCodeHash: async (hash) =>
      isHashBytes(hash)
        ? one(`SELECT ${COLUMNS} FROM credential_offers WHERE authorization_code_sha256 = $1 FOR UPDATE`, [
            hash,
          ])
        : undefined,
    async authorize(id, code, now) {
      checkAuthorizationCode(code);
      if (!isOfferId(id)) return false;
      const rows = await db.query(
        `UPDATE credential_offers SET state = 'authorized', authorization_code_sha256 = $2,
           authorization_code_challenge = $3, authorization_client_id = $4, authorization_redirect_uri = $5,
           authorization_code_expires_at = $6
         WHERE id = $1 AND state = 'offered' AND expires_at > $7 AND login_username_sha256 IS NOT NULL
         RETURNING id`,
        [id, code.hash, code.codeChallenge, code.clientId, code.redirectUri, code.expiresAt, now],
      );
      return rows.length === 1;
    },
    recordFailedTxCode: async (id, maxAttempts) =>
      isOfferId(id)
        ? one(
            `UPDATE credential_offers SET
               failed_tx_code_attempts = failed_tx_code_attempts + 1,
               state = CASE WHEN failed_tx_code_attempts + 1 >= $2 THEN 'locked' ELSE state END,
               pre_authorized_code_ciphertext = CASE WHEN failed_tx_code_attempts + 1 >= $2 THEN NULL
                 ELSE pre_authorized_code_ciphertext END,
               pre_authorized_code_nonce = CASE WHEN failed_tx_code_attempts + 1 >= $2 THEN NULL
                 ELSE pre_authorized_code_nonce END,
               claims_ciphertext = CASE WHEN failed_tx_code_attempts + 1 >= $2 THEN NULL ELSE claims_ciphertext END,
               claims_nonce = CASE WHEN failed_tx_code_attempts + 1 >= $2 THEN NULL ELSE claims_nonce END
             WHERE id = $1 AND state = 'offered' RETURNING ${COLUMNS}`,
            [id, maxAttempts],
          )
        : undefined,
    async redeem(id, accessToken, now, from = 'offered') {
      if (!isHashBytes(accessToken.hash)) throw new TypeError('the access token hash must be 32 bytes');
      if (!isOfferId(id)) return false;
      const rows = await db.query(
        `UPDATE credential_offers SET state = 'redeemed', access_token_sha256 = $2, access_token_expires_at = $3,
           pre_authorized_code_ciphertext = NULL, pre_authorized_code_nonce = NULL,
           authorization_code_sha256 = NULL, authorization_code_challenge = NULL, authorization_client_id = NULL,
           authorization_redirect_uri = NULL, authorization_code_expires_at = NULL
         WHERE id = $1 AND state = $5 AND expires_at > $4 RETURNING id`,
        [id, accessToken.hash, accessToken.expiresAt, now, from === 'authorized' ? 'authorized' : 'offered'],
      );
      return rows.length === 1;
    },
    async takeClaims(id, now) {
      if (!isOfferId(id)) return undefined;
      // The old values come back from a self-join: one statement reads and clears the claims.
      const rows = await db.query<{ ciphertext: Uint8Array; nonce: Uint8Array }>(
        `UPDATE credential_offers o SET state = 'issued', claims_ciphertext = NULL, claims_nonce = NULL
         FROM credential_offers old
         WHERE o.id = $1 AND old.id = o.id AND o.state = 'redeemed' AND o.expires_at > $2
           AND o.claims_ciphertext IS NOT NULL
         RETURNING old.claims_ciphertext AS ciphertext, old.claims_nonce AS nonce`,
        [id, now],
      );
      const row = rows[0];
      return (
        row &&
        openClaims(encryptionKey, id, {
          ciphertext: new Uint8Array(row.ciphertext),
          nonce: new Uint8Array(row.nonce),
        })
      );
    },
    async purgeExpired(now) {
      const rows = await db.query(
        `UPDATE credential_offers SET claims_ciphertext = NULL, claims_nonce = NULL,
           pre_authorized_code_ciphertext = NULL, pre_authorized_code_nonce = NULL
         WHERE expires_at <= $1 AND (claims_ciphertext IS NOT NULL OR pre_authorized_code_ciphertext IS NOT NULL)
         RETURNING id`,
        [now],
      );
      await db.query('DELETE FROM credential_nonces WHERE expires_at <= $1', [now]);
      return rows.length;
    },
    async createNonce(nonce, expiresAt) {
      if (!checkNonce(nonce)) throw new TypeError('a nonce must be 16 to 128 characters');
      const rows = await db.query(
        'INSERT INTO credential_nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING nonce',
        [nonce, expiresAt],
      );
      if (rows.length === 0) throw new AdapterError('DUPLICATE', 'this nonce exists already');
    },
    async consumeNonce(nonce, now) {
      if (!checkNonce(nonce)) return false;
      const rows = await db.query<{ expires_at: number }>(
        'DELETE FROM credential_nonces WHERE nonce = $1 RETURNING expires_at',
        [nonce],
      );
      return rows.length === 1 && rows[0]!.expires_at > now;
    },
    async bindHolderKey(thumbprint, subject, now) {
      checkThumbprint(thumbprint, subject);
      await db.query(
        `INSERT INTO holder_key_bindings (thumbprint, subject, created_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [thumbprint, subject, now],
      );
      const rows = await db.query<{ subject: string }>(
        'SELECT subject FROM holder_key_bindings WHERE thumbprint = $1',
        [thumbprint],
      );
      return rows[0]?.subject === subject;
    },
  };
}

function toRecord(row: OfferRow): CredentialOfferRecord {
  return {
    id: row.id,
    credentialConfigurationId: row.credential_configuration_id,
    subject: row.subject,
    ...(row.pre_authorized_code_sha256 === null
      ? {}
      : { preAuthorizedCodeHash: new Uint8Array(row.pre_authorized_code_sha256) }),
    ...(row.login_username_sha256 === null || row.login_password_hash === null
      ? {}
      : {
          login: {
            usernameHash: new Uint8Array(row.login_username_sha256),
            passwordHash: row.login_password_hash,
          },
        }),
    ...(row.authorization_code_sha256 === null || row.authorization_code_expires_at === null
      ? {}
      : {
          authorizationCode: {
            hash: new Uint8Array(row.authorization_code_sha256),
            codeChallenge: row.authorization_code_challenge ?? '',
            clientId: row.authorization_client_id ?? '',
            redirectUri: row.authorization_redirect_uri ?? '',
            expiresAt: row.authorization_code_expires_at,
          },
        }),
    ...(row.tx_code_sha256 === null
      ? {}
      : {
          txCode: {
            hash: new Uint8Array(row.tx_code_sha256),
            length: row.tx_code_length ?? 0,
            inputMode: row.tx_code_input_mode ?? 'numeric',
            ...(row.tx_code_description === null ? {} : { description: row.tx_code_description }),
          },
        }),
    state: row.state,
    failedTxCodeAttempts: toSafeInteger(row.failed_tx_code_attempts, 'failed_tx_code_attempts'),
    ...(row.access_token_sha256 === null ? {} : { accessTokenHash: new Uint8Array(row.access_token_sha256) }),
    ...(row.access_token_expires_at === null ? {} : { accessTokenExpiresAt: row.access_token_expires_at }),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.created_by === null ? {} : { createdBy: row.created_by }),
  };
}
