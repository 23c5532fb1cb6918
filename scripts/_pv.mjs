const core = await import('@trieste/core');
const adapters = await import('@trieste/adapters');
const crypto = adapters.nodeCrypto();
const clock = { now: () => Date.now() / 1000 };
const issuerJwk = adapters.generatePrivateJwk('ES256');
const signer = adapters.nodeSigner(issuerJwk);
const pub = core.toPublicJwk(issuerJwk);
const claims = { given_name: 'Amina', family_name: 'Haddad', birthdate: '1990-04-12', nationality: 'XA', place_of_birth: 'Port Azure', personal_identifier: '4829175036', sex: 'F', address: '12 Harbour Road, Port Azure', email: 'amina@example.org', phone: '+999 555 0101' };
const uri = 'https://i.example/s/1';
const list = new core.StatusList(1 << 17, 2);
const now = Math.floor(Date.now() / 1000);
const token = await core.signStatusListToken({ sub: uri, iss: 'https://i.example', list, issuedAt: now, expiresAt: now + 86400, ttl: 3600 }, { signer });
const issuerKeys = { resolve: async () => pub };
const status = core.createStatusResolver({ issuerKeys, crypto, fetchStatusListToken: async () => token });
const pres = [];
for (let i = 0; i < 100; i++) { const jwk = adapters.generatePrivateJwk('ES256'); const c = await core.issueSdJwtVc({ vct: 'urn:x', iss: 'https://i.example', claims, disclosable: 'all', holderKey: core.toPublicJwk(jwk), status: { uri, idx: 7 } }, { signer, crypto, clock }); pres.push(await core.presentSdJwtVc(c, { disclose: ['/given_name', '/family_name', '/birthdate'], nonce: 'n', aud: 'a' }, { holder: adapters.nodeSigner(jwk), crypto, clock })); }
const noopCrypto = { ...crypto, verify: async () => true };
const N = 40000;
for (const [label, c] of [['no-op verify', noopCrypto]]) {
  for (let i = 0; i < 2000; i++) await core.verifySdJwtVc(pres[i % 100], { nonce: 'n', aud: 'a' }, { crypto: c, issuerKeys, status, clock });
  const t = performance.now();
  for (let i = 0; i < N; i++) await core.verifySdJwtVc(pres[i % 100], { nonce: 'n', aud: 'a' }, { crypto: c, issuerKeys, status, clock });
  console.log(label, ((performance.now() - t) / N * 1000).toFixed(1), 'µs');
}
