// `npm run demo:federation` (issue 6, docs/federation-demo.md): two jurisdictions, XA and XB, as two
// real server processes (apps/server/dist/main.js, each with its own embedded database in a temp
// folder). XB's trust list recognises XA's list operator; a credential XA issues verifies at XB's
// OpenID4VP verifier through that recognition; XA withdraws its issuer and, after XB's next refresh,
// XB refuses it; an older (rolled back) XA list served to XB is refused and changes nothing.
// It builds nothing (run `tsc -b` first, as `npm run demo:federation` does), prints every step,
// stops both servers, removes its temp folder, and exits 1 if any expectation fails.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = 'apps/server/dist/main.js';
const PID_CONFIGURATION = 'national_identity_xa';
const PID_VCT = 'urn:trieste:xa:national-identity:1';
const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const PURPOSE = 'age_verification';
/** XB refreshes its trust lists this often (TRIESTE_TRUST_REFRESH_INTERVAL_MS; default 5 min). */
const REFRESH_MS = 1000;
/** How long a server may take to start (a fresh embedded database and its migrations). */
const START_MS = 120_000;
/** How long to wait for something a server does on its own (a trust list refresh). */
const WAIT_MS = Number(process.env.DEMO_WAIT_MS ?? 30_000);

if (!existsSync(MAIN)) {
  console.error(`demo:federation: ${MAIN} is missing; build first (npx tsc -b)`);
  process.exit(1);
}
const core = await import('@trieste/core');
const adapters = await import('@trieste/adapters');
const crypto = adapters.nodeCrypto();
const clock = { now: () => Date.now() / 1000 };

const failures = [];
const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (title) => say(`\n== ${title}`);
function expect(condition, what) {
  say(`   ${condition ? '✓' : '✗'} ${what}`);
  if (!condition) failures.push(what);
  return condition;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/** Starts one jurisdiction as `npm start` would, and reads its demo admin API key from stderr. */
async function startJurisdiction(code, name, root) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TRIESTE_DATA_DIR: join(root, code.toLowerCase()),
    TRIESTE_ISSUER: url,
    TRIESTE_JURISDICTION: code,
    TRIESTE_JURISDICTION_NAME: name,
    // Local demo: the other jurisdiction's list and status list are plain http on loopback.
    TRIESTE_TRUST_ALLOW_HTTP: 'true',
    TRIESTE_TRUST_REFRESH_INTERVAL_MS: String(REFRESH_MS),
    // Warnings only on stdout: the demo reads XB's "trust list not refreshed" lines from there.
    TRIESTE_LOG_LEVEL: 'warn',
    TRIESTE_RATE_LIMIT_MAX: '100000',
  };
  for (const variable of ['DATABASE_URL', 'TRIESTE_MASTER_KEY', 'TRIESTE_CREDENTIAL_CONFIGURATIONS'])
    delete env[variable];
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { code, name, url, child, stdout: '', stderr: '', adminKey: undefined };
  child.stdout.on('data', (chunk) => {
    server.stdout += chunk;
  });
  server.adminKey = await new Promise((resolveKey, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${code} did not start within ${START_MS / 1000} s`)),
      START_MS,
    );
    child.once('exit', (status) => {
      clearTimeout(timer);
      reject(new Error(`${code} exited (${status}): ${server.stderr.trim().split('\n').pop()}`));
    });
    child.stderr.on('data', (chunk) => {
      server.stderr += chunk;
      const key = /demo admin API key[^\n]*\n\s+(\S+)/.exec(server.stderr);
      if (key) {
        clearTimeout(timer);
        resolveKey(key[1]);
      }
    });
  });
  child.removeAllListeners('exit');
  return server;
}

async function stopServer(server) {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolveExit) => server.child.once('exit', resolveExit));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** One HTTP call; throws with the error code the server answered when the status is not `expect`. */
async function call(server, method, path, { json, form, bearer, expect: status = 200 } = {}) {
  const headers = {};
  let body;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const url = path.startsWith('http') ? path : `${server.url}${path}`;
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  if (response.status !== status) {
    const code = /"error":"([^"]+)"/.exec(text)?.[1] ?? '';
    throw new Error(`${server.code} ${method} ${new URL(url).pathname}: HTTP ${response.status} ${code}`);
  }
  return text && /^[[{]/.test(text) ? JSON.parse(text) : text;
}

/**
 * XA's list as XB fetches it: a relay on loopback that forwards GET /trust/list to XA, standing for
 * the network between the two. In "rollback" mode it serves an older XA list instead, as an
 * attacker on that path (or a stale mirror) would.
 */
async function startRelay(xa) {
  const port = await freePort();
  const relay = { url: `http://127.0.0.1:${port}/trust/list`, rollbackTo: undefined, served: [] };
  relay.server = createServer(async (request, response) => {
    try {
      if (request.method !== 'GET' || request.url !== '/trust/list') {
        response.writeHead(404).end();
        return;
      }
      const path = relay.rollbackTo === undefined ? '/trust/list' : `/trust/list/${relay.rollbackTo}`;
      const upstream = await fetch(`${xa.url}${path}`);
      const jws = await upstream.text();
      relay.served.push(sequenceOf(jws));
      response.writeHead(upstream.status, { 'content-type': 'application/trieste-trust-list+jwt' }).end(jws);
    } catch {
      response.writeHead(502).end();
    }
  });
  await new Promise((resolveListen) => relay.server.listen(port, '127.0.0.1', resolveListen));
  return relay;
}

function sequenceOf(jws) {
  try {
    return core.readUnverifiedTrustList(jws.trim()).list.sequenceNumber;
  } catch {
    return undefined;
  }
}

/** OpenID4VCI 1.0 with a pre-authorized code and tx_code, as scripts/wallet.mjs does it. */
async function issueAt(xa, holder) {
  const offer = await call(xa, 'POST', '/admin/offers', {
    json: {
      credential_configuration_id: PID_CONFIGURATION,
      claims: {
        given_name: 'Amina',
        family_name: 'Haddad',
        birthdate: '1990-04-01',
        age_equal_or_over: { 13: true, 16: true, 18: true, 21: true },
        personal_identifier: 'XA-1234-5678',
      },
    },
    bearer: xa.adminKey,
  });
  const code = offer.credential_offer.grants[PRE_AUTHORIZED_GRANT]['pre-authorized_code'];
  const token = await call(xa, 'POST', '/token', {
    form: { grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code, tx_code: offer.tx_code },
  });
  const { c_nonce } = await call(xa, 'POST', '/nonce');
  const proof = await core.signCompactJws(
    { typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk },
    { aud: xa.url, iat: Math.floor(clock.now()), nonce: c_nonce },
    holder.signer,
    { includeKid: false },
  );
  const issued = await call(xa, 'POST', '/credential', {
    json: { credential_configuration_id: PID_CONFIGURATION, proofs: { jwt: [proof] } },
    bearer: token.access_token,
  });
  return issued.credentials[0].credential;
}

/** XB's relying party asks for the age claim for PURPOSE; the wallet answers (OpenID4VP 1.0, direct_post). */
async function presentAt(xb, xa, credential, holder) {
  const created = await call(xb, 'POST', '/verifier/requests', {
    json: {
      purpose: 'Age check at the border post',
      purpose_code: PURPOSE,
      trusted_issuers: [xa.url],
      response_mode: 'direct_post',
      dcql_query: {
        credentials: [
          {
            id: 'pid',
            format: 'dc+sd-jwt',
            meta: { vct_values: [PID_VCT] },
            claims: [{ path: ['age_equal_or_over', '18'] }],
          },
        ],
      },
    },
    bearer: xb.adminKey,
    expect: 201,
  });
  const jar = await call(xb, 'GET', created.request_uri);
  const request = core.decodeCompactJws(jar, 'request object').payload;
  const presentation = await core.presentSdJwtVc(
    credential,
    { disclose: ['/age_equal_or_over/18'], nonce: request.nonce, aud: created.client_id },
    { holder: holder.signer, crypto, clock },
  );
  const answer = await fetch(request.response_uri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ vp_token: JSON.stringify({ pid: [presentation] }), state: request.state }),
  });
  await answer.text();
  return call(xb, 'GET', `/verifier/requests/${created.id}`, { bearer: xb.adminKey });
}

function describeResult(result) {
  if (result.status !== 'verified') return `${result.status}: ${result.reason ?? 'no reason given'}`;
  const pid = result.result.credentials.pid[0];
  const list = pid.trust?.list;
  const by = pid.trust?.recognised_by;
  return [
    `verified: age_equal_or_over.18 = ${JSON.stringify(pid.claims.age_equal_or_over?.['18'])}, issuer ${pid.issuer}`,
    list
      ? `vouched for by the ${list.jurisdiction} trust list version ${list.sequence_number} (${list.freshness})`
      : `trust source: ${pid.trust?.source ?? 'not reported'}`,
    by
      ? `recognised by the ${by.jurisdiction} trust list version ${by.sequence_number} (${by.freshness})`
      : '',
  ]
    .filter(Boolean)
    .join('\n     ');
}

/** Polls `probe` until `done(value)`, every `everyMs`, at most WAIT_MS. */
async function until(probe, done, everyMs = 500) {
  const deadline = Date.now() + WAIT_MS;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await sleep(everyMs);
    value = await probe();
  }
  return value;
}

const root = mkdtempSync(join(tmpdir(), 'trieste-federation-'));
let xa;
let xb;
let relay;
// Interrupted (Ctrl-C, a test's timeout): the servers and the temp folder go too.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    relay?.server.close();
    for (const server of [xa, xb]) server?.child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    process.exit(130);
  });
}
try {
  step('1. Two jurisdictions, two servers, two databases');
  [xa, xb] = await Promise.all([
    startJurisdiction('XA', 'Demo Republic of XA', root),
    startJurisdiction('XB', 'Demo Kingdom of XB', root),
  ]);
  say(`   XA at ${xa.url}  (trust list ${xa.url}/trust/list)`);
  say(`   XB at ${xb.url}  (trust list ${xb.url}/trust/list)`);
  const xaList = core.readUnverifiedTrustList((await call(xa, 'GET', '/trust/list')).trim()).list;
  expect(
    xaList.operator.jurisdiction === 'XA' && xaList.issuers.some((issuer) => issuer.id === xa.url),
    `XA's trust list (version ${xaList.sequenceNumber}) lists XA's own issuer ${xa.url}`,
  );

  step("2. XB recognises XA's list operator, for the PID type and the purpose age_verification");
  const xaKeys = await call(xa, 'GET', '/trust/operator-keys');
  for (const key of xaKeys.keys)
    say(
      `   XA operator key ${key.kid} (${key.state}): compare this thumbprint out of band before pinning it`,
    );
  relay = await startRelay(xa);
  const recognised = await call(xb, 'POST', '/admin/trust/recognitions', {
    json: {
      jurisdiction: 'XA',
      operator_name: xaList.operator.name,
      list_uri: relay.url,
      operator_keys: xaKeys.keys
        .filter((key) => key.state !== 'retired')
        .map((key) => ({ ...key.public_jwk, kid: key.kid })),
      credential_types: [PID_VCT],
      purposes: [PURPOSE],
    },
    bearer: xb.adminKey,
  });
  say(`   XB published its trust list version ${recognised.version.sequence_number} with the recognition`);
  say(`   (XB fetches XA's list from ${relay.url}, a relay to XA this demo controls)`);
  // XB's verifier accepts a request naming XA's issuer once its trust store holds XA's list.
  const held = await until(
    () =>
      call(xb, 'POST', '/verifier/requests', {
        json: {
          purpose: 'probe',
          trusted_issuers: [xa.url],
          response_mode: 'direct_post',
          dcql_query: {
            credentials: [
              {
                id: 'pid',
                format: 'dc+sd-jwt',
                meta: { vct_values: [PID_VCT] },
                claims: [{ path: ['age_equal_or_over', '18'] }],
              },
            ],
          },
        },
        bearer: xb.adminKey,
        expect: 201,
      }).then(
        () => ({ ok: true }),
        (error) => ({ ok: false, error: error.message }),
      ),
    (probe) => probe.ok,
  );
  if (!held.ok) say(`   last answer: ${held.error}`);
  expect(held.ok, "XB's verifier knows XA's issuer after its refresh (it fetched and verified XA's list)");

  step('3. XA issues a national identity credential (OpenID4VCI, pre-authorized code)');
  const holderJwk = adapters.generatePrivateJwk('ES256');
  const holder = { signer: adapters.nodeSigner(holderJwk), publicJwk: core.toPublicJwk(holderJwk) };
  const credential = await issueAt(xa, holder);
  expect(credential.split('~').length > 2, `XA issued an SD-JWT VC of ${PID_VCT} to the holder`);

  step(`4. The holder presents it to XB's verifier (OpenID4VP, purpose ${PURPOSE})`);
  const first = await presentAt(xb, xa, credential, holder);
  say(`   ${describeResult(first)}`);
  const firstPid = first.result?.credentials?.pid?.[0];
  expect(first.status === 'verified', 'XB verifies the credential issued in XA');
  expect(
    firstPid?.trust?.source === 'trust-list' &&
      firstPid.trust.list?.jurisdiction === 'XA' &&
      firstPid.trust.recognised_by?.jurisdiction === 'XB',
    "the result names XA's list (and version) that vouched, recognised by XB's list",
  );

  step('5. XA withdraws its issuer; XB refreshes and refuses the same credential');
  const withdrawn = await call(xa, 'POST', '/admin/trust/issuers/withdraw', {
    json: { id: xa.url },
    bearer: xa.adminKey,
  });
  const withdrawnVersion = withdrawn.version.sequence_number;
  say(`   XA published trust list version ${withdrawnVersion}: ${xa.url} withdrawn`);
  const fetched = await until(
    async () => relay.served.includes(withdrawnVersion),
    (seen) => seen,
    REFRESH_MS / 4,
  );
  expect(fetched, `XB fetched XA's version ${withdrawnVersion} at its next refresh`);
  const refused = await until(
    () => presentAt(xb, xa, credential, holder),
    (result) => result.status !== 'verified',
    REFRESH_MS,
  );
  say(`   ${describeResult(refused)}`);
  expect(
    refused.status === 'failed' && refused.reason === 'ISSUER_WITHDRAWN',
    'XB refuses the credential after its refresh: ISSUER_WITHDRAWN',
  );

  step('6. A rolled-back XA list (the version before the withdrawal) is served to XB');
  relay.rollbackTo = withdrawnVersion - 1;
  const servedBefore = relay.served.length;
  say(`   the relay now serves XA's version ${relay.rollbackTo}, in which the issuer is still granted`);
  const rollbackLogged = await until(
    async () =>
      relay.served.slice(servedBefore).includes(relay.rollbackTo) &&
      /"code":"TRUST_LIST_ROLLBACK"/.test(xb.stdout),
    (seen) => seen,
    REFRESH_MS / 2,
  );
  expect(
    rollbackLogged,
    "XB refuses the older list (TRUST_LIST_ROLLBACK in XB's log) and keeps the newer one",
  );
  const afterRollback = await presentAt(xb, xa, credential, holder);
  say(`   ${describeResult(afterRollback)}`);
  expect(
    afterRollback.status === 'failed' && afterRollback.reason === 'ISSUER_WITHDRAWN',
    'the rollback changes nothing: the credential is still refused (ISSUER_WITHDRAWN)',
  );
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error));
  say(`\n   ✗ ${failures.at(-1)}`);
} finally {
  step('Stopping both servers');
  relay?.server.close();
  await Promise.all([stopServer(xa), stopServer(xb)]);
  rmSync(root, { recursive: true, force: true });
}

say(
  failures.length === 0
    ? '\nfederation demo: every expectation met'
    : `\nfederation demo: ${failures.length} expectation(s) not met:\n${failures.map((f) => `  - ${f}`).join('\n')}`,
);
process.exit(failures.length === 0 ? 0 : 1);
