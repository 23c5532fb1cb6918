// `npm run wallet -- <command>`: a minimal demo wallet for trying the server from a shell. It takes
// a credential offer (OpenID4VCI 1.0, pre-authorized code with tx_code) and answers a presentation
// request (OpenID4VP 1.0, direct_post), with a holder key from `trieste keys holder --out <file>`.
// It is a demo, not a wallet: it keeps nothing, and trusts the http:// URLs of a local server.
//
//   node scripts/wallet.mjs receive '<openid-credential-offer://…>' --tx-code <code> --holder-key holder.jwk
//   node scripts/wallet.mjs present '<openid4vp://…>' --credential credential.txt --holder-key holder.jwk
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '@trieste/adapters';
import {
  base64urlDecode,
  decodeCompactJws,
  parsePrivateJwk,
  parsePublicJwk,
  presentSdJwtVc,
  signCompactJws,
  toPublicJwk,
  utf8Decode,
  verifyJwsSignature,
} from '@trieste/core';

const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const crypto = nodeCrypto();
const clock = { now: () => Date.now() / 1000 };

class WalletError extends Error {}

async function getJson(url, init) {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new WalletError(`${init?.method ?? 'GET'} ${url}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

function holderSigner(path) {
  const jwk = path ? parsePrivateJwk(JSON.parse(readFileSync(path, 'utf8'))) : generatePrivateJwk('ES256');
  return { signer: nodeSigner(jwk), publicJwk: toPublicJwk(jwk) };
}

/** OpenID4VCI 1.0: offer (§4.1), metadata (§12.2), token (§6), nonce (§7), credential (§8). */
async function receive(link, options) {
  const params = new URL(link).searchParams;
  const offer = params.get('credential_offer_uri')
    ? await getJson(params.get('credential_offer_uri'))
    : JSON.parse(params.get('credential_offer') ?? 'null');
  if (!offer?.credential_issuer) throw new WalletError('not a credential offer link');
  const grant = offer.grants?.[PRE_AUTHORIZED_GRANT];
  if (!grant) throw new WalletError('the offer has no pre-authorized code grant');
  if (grant.tx_code && !options['tx-code']) throw new WalletError('this offer needs --tx-code');
  const issuer = offer.credential_issuer;
  const metadata = await getJson(`${issuer}/.well-known/openid-credential-issuer`);
  const as = await getJson(`${issuer}/.well-known/oauth-authorization-server`);
  const form = new URLSearchParams({
    grant_type: PRE_AUTHORIZED_GRANT,
    'pre-authorized_code': grant['pre-authorized_code'],
  });
  if (grant.tx_code) form.set('tx_code', options['tx-code']);
  const token = await getJson(as.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const { c_nonce } = await getJson(metadata.nonce_endpoint, { method: 'POST' });
  const holder = holderSigner(options['holder-key']);
  const proof = await signCompactJws(
    { typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk },
    { aud: issuer, iat: Math.floor(clock.now()), nonce: c_nonce },
    holder.signer,
    { includeKid: false },
  );
  const response = await getJson(metadata.credential_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
    body: JSON.stringify({
      credential_configuration_id: offer.credential_configuration_ids[0],
      proofs: { jwt: [proof] },
    }),
  });
  process.stdout.write(`${response.credentials[0].credential}\n`);
}

/** OpenID4VP 1.0: the signed request object (§5), checked against its did:jwk client_id, then direct_post (§8.2). */
async function present(link, options) {
  const params = new URL(link).searchParams;
  const requestUri = params.get('request_uri');
  const clientId = params.get('client_id');
  if (!requestUri || !clientId) throw new WalletError('not an openid4vp link with client_id and request_uri');
  const response = await fetch(requestUri);
  const jar = await response.text();
  if (!response.ok) throw new WalletError(`GET ${requestUri}: HTTP ${response.status} ${jar}`);
  const decoded = decodeCompactJws(jar, 'request object');
  const did = /^decentralized_identifier:(did:jwk:[A-Za-z0-9_-]+)$/.exec(clientId)?.[1];
  if (!did) throw new WalletError('this demo wallet accepts did:jwk client identifiers only');
  const key = parsePublicJwk(
    JSON.parse(utf8Decode(base64urlDecode(did.slice('did:jwk:'.length)))),
    'did:jwk',
  );
  await verifyJwsSignature(decoded, key, crypto);
  const request = decoded.payload;
  if (request.client_id !== clientId) throw new WalletError('the request object names another client_id');
  if (request.response_mode !== 'direct_post') {
    throw new WalletError('this demo wallet answers direct_post requests only (not direct_post.jwt)');
  }
  const query = request.dcql_query.credentials[0];
  const disclose = options.disclose
    ? options.disclose.split(',')
    : (query.claims ?? []).map((claim) => `/${claim.path.join('/')}`);
  const holder = holderSigner(options['holder-key']);
  const credential = readFileSync(options.credential, 'utf8').trim();
  const presentation = await presentSdJwtVc(
    credential,
    { disclose, nonce: request.nonce, aud: clientId },
    { holder: holder.signer, crypto, clock },
  );
  process.stderr.write(`${request.dcql_query.credentials[0].id}: disclosing ${disclose.join(', ')}\n`);
  const answer = await fetch(request.response_uri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      vp_token: JSON.stringify({ [query.id]: [presentation] }),
      state: request.state,
    }),
  });
  const text = await answer.text();
  if (!answer.ok) throw new WalletError(`the verifier refused: HTTP ${answer.status} ${text}`);
  process.stdout.write(`the verifier accepted the presentation (HTTP ${answer.status})\n`);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'tx-code': { type: 'string' },
    'holder-key': { type: 'string' },
    credential: { type: 'string' },
    disclose: { type: 'string' },
  },
});
const [command, link] = positionals;
try {
  if (command === 'receive' && link) await receive(link, values);
  else if (command === 'present' && link && values.credential && values['holder-key'])
    await present(link, values);
  else {
    throw new WalletError(
      'usage: wallet receive <offer link> --tx-code <code> [--holder-key <file>]\n' +
        '       wallet present <openid4vp link> --credential <file> --holder-key <file> [--disclose /a,/b/c]',
    );
  }
} catch (error) {
  process.stderr.write(
    `wallet: ${error instanceof WalletError ? error.message : error?.code ? `${error.code}: ${error.message}` : error}\n`,
  );
  process.exit(2);
}
