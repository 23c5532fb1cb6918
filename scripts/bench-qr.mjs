// The offline QR section of `npm run bench` (issue 6): verifications per second on one core from the
// QR text (Claim 169 and EU DCC "HC1:") and from PNG images, as ratios to the raw node:crypto ES256
// verify measured in the same run (scripts/bench.mjs passes it in). Every code, key and certificate
// is made here with our own keys. Run alone (`node scripts/bench-qr.mjs`, after `tsc -b`) it measures
// its own baseline and prints the markdown section.
import { generateKeyPairSync, sign, verify, webcrypto } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

/** Targets of issue 6, per second on one core. */
export const QR_TEXT_TARGET = 1000;
export const QR_IMAGE_TARGET = 50;

const DAY = 86_400;

/**
 * Measures offline QR verification and returns its rows and the BENCHMARKS.md section.
 * `rawVerify`: node:crypto ES256 verifications per second on the same core, in the same run.
 */
export async function benchQr({ core, adapters, rawVerify, seconds = 3, log = console.log }) {
  const now = Math.floor(Date.now() / 1000);
  const cases = await qrCases(core, adapters, now);
  const rows = [];
  for (const c of cases) {
    const figures = await adapters.measureQrVerification({
      text: c.text,
      ...(c.image ? { image: c.image } : {}),
      trust: c.trust,
      now,
      seconds,
    });
    // A benchmark of failures measures nothing: every code must verify.
    if (!figures.valid) throw new Error(`${c.name}: the code does not verify`);
    const row = { ...c, ...figures };
    rows.push(row);
    const per = (v) => `${Math.round(v).toLocaleString('en').padStart(10)} /s`;
    log(`${`QR ${c.name}, from text`.padEnd(52)} ${per(figures.textPerSecond)}`);
    if (figures.imagePerSecond !== undefined)
      log(`${`QR ${c.name}, from ${c.imageName}`.padEnd(52)} ${per(figures.imagePerSecond)}`);
  }
  return { rows, markdown: qrMarkdown(rows, rawVerify) };
}

async function qrCases(core, adapters, now) {
  // Claim 169: the registry's ES256 key, as signClaim169Qr signs the paper ID.
  const registry = adapters.nodeSigner(adapters.generatePrivateJwk('ES256'));
  const issuer = 'https://registry.xa.example';
  const identity = {
    id: '4829175036',
    fullName: 'Amina Haddad',
    firstName: 'Amina',
    lastName: 'Haddad',
    dateOfBirth: '19900301',
    gender: 2,
    nationality: 'XA',
    countryOfIssuance: 'XA',
  };
  const claim169 = await core.signClaim169Qr(
    { identity, issuer, issuedAt: now - DAY, expiresAt: now + 365 * DAY },
    registry,
  );
  const claim169Trust = {
    keys: [
      {
        jwk: { ...registry.publicJwk },
        kid: registry.kid,
        iss: issuer,
        types: ['claim169'],
        label: 'registry',
      },
    ],
  };
  const { png: paperId } = await adapters.renderPaperId({
    person: { id: identity.id, fullName: identity.fullName, dateOfBirth: '1990-03-01' },
    qrText: claim169,
    jurisdiction: { name: 'Demo Republic of XA', code: 'XA' },
  });

  // EU DCC: a Document Signer Certificate and an "HC1:" code built to the hcert specification.
  const dsc = await documentSigner(now);
  const hc1 = await buildHc1(core, dsc, now);
  const hc1Trust = { keys: [{ certificate: dsc.der, iss: 'XA', types: ['hc1'], label: 'xa-dsc' }] };

  return [
    {
      name: 'Claim 169 ES256',
      text: claim169,
      trust: claim169Trust,
      image: adapters.renderQrPng(claim169),
      imageName: 'PNG (renderQrPng, 6 px/module)',
    },
    {
      name: 'Claim 169 ES256 paper ID',
      text: claim169,
      trust: claim169Trust,
      image: paperId,
      imageName: 'paper ID PNG (renderPaperId)',
    },
    {
      name: 'EU DCC ES256 (X.509 DSC)',
      text: hc1,
      trust: hc1Trust,
      image: adapters.renderQrPng(hc1),
      imageName: 'PNG (renderQrPng, 6 px/module)',
    },
  ].map((c) => ({ ...c, size: pngSize(c.image) }));
}

/** A self-signed ES256 DSC (@peculiar/x509) and its key as a Signer, and its DCC kid. */
async function documentSigner(now) {
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a1b2c3d',
    name: 'CN=XA DSC bench, C=XA',
    notBefore: new Date((now - 30 * DAY) * 1000),
    notAfter: new Date((now + 365 * DAY) * 1000),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
  });
  const der = new Uint8Array(certificate.rawData);
  const kid = new Uint8Array(await webcrypto.subtle.digest('SHA-256', der)).subarray(0, 8);
  return { der, privateKey: keys.privateKey, kid };
}

/** hcert spec §3: CWT {1 iss, 4 exp, 6 iat, −260 {1 DCC}} → COSE_Sign1 (kid protected) → ZLIB → Base45. */
async function buildHc1(core, dsc, now) {
  const dcc = {
    ver: '1.3.0',
    nam: { fn: 'Rossi', fnt: 'ROSSI', gn: 'Lea', gnt: 'LEA' },
    dob: '1990-03-01',
    v: [
      {
        tg: '840539006',
        vp: '1119349007',
        mp: 'EU/1/20/1528',
        ma: 'ORG-100030215',
        dn: 2,
        sd: 2,
        dt: '2025-03-01',
        co: 'XA',
        is: 'Ministry of Health XA',
        ci: 'URN:UVCI:01:XA:BENCH0000000001#K',
      },
    ],
  };
  const claims = new Map([
    [1, 'XA'],
    [4, now + 180 * DAY],
    [6, now - DAY],
    [-260, new Map([[1, toCbor(dcc)]])],
  ]);
  const protectedBytes = core.encodeCbor(
    new Map([
      [1, -7],
      [4, dsc.kid],
    ]),
  );
  const payload = core.encodeCbor(claims);
  const signature = new Uint8Array(
    await webcrypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      dsc.privateKey,
      core.sigStructure1(protectedBytes, payload),
    ),
  );
  const cose = core.encodeCbor(
    new core.CborTag(core.COSE_SIGN1_TAG, [protectedBytes, new Map(), payload, signature]),
  );
  return `HC1:${core.base45Encode(new Uint8Array(deflateSync(cose, { level: 9 })))}`;
}

function toCbor(value) {
  if (Array.isArray(value)) return value.map(toCbor);
  if (value !== null && typeof value === 'object')
    return new Map(Object.entries(value).map(([k, v]) => [k, toCbor(v)]));
  return value;
}

/** Width × height from the PNG's IHDR (bytes 16–23). */
function pngSize(png) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20), bytes: png.length };
}

function qrMarkdown(rows, rawVerify) {
  const fmt = (n) => Math.round(n).toLocaleString('en');
  const ratio = (v) => `${(v / rawVerify).toFixed(3)} × raw verify`;
  const met = (v, target) => `≥ ${fmt(target)}/s: ${v >= target ? 'met' : 'NOT met'}`;
  const lines = [];
  for (const r of rows) {
    lines.push(
      `| ${r.name}, from the text | ${fmt(r.textPerSecond)} | ${ratio(r.textPerSecond)} | ${met(r.textPerSecond, QR_TEXT_TARGET)} |`,
    );
    if (r.imagePerSecond !== undefined) {
      lines.push(
        `| ${r.name}, from a ${r.imageName}, ${r.size.width}×${r.size.height} px, ${fmt(r.size.bytes)} bytes | ${fmt(r.imagePerSecond)} | ${ratio(r.imagePerSecond)} | ${met(r.imagePerSecond, QR_IMAGE_TARGET)} |`,
      );
    }
  }
  return `
## Offline QR verification

\`verifyQrText\` (core) one code after the other on one thread, with the trust material prepared once
(\`measureQrVerification\`, adapters): from the text, and from a PNG image read with
\`readQrFromImage\` (pngjs, jsqr) and then verified. The codes are made in the run with our own keys:
a Claim 169 identity QR signed with ES256 (\`signClaim169Qr\`, the paper ID's code), and an EU DCC
("HC1:", vaccination, ES256) built to the hcert specification and signed by a self-signed Document
Signer Certificate given as X.509 trust material (the kid is looked up by the DCC rule, the
certificate's validity is checked). The ratio is to the raw node:crypto ES256 verify of this run
(${fmt(rawVerify)}/s): one verification needs one signature check, so 1.000 is the ceiling.

| operation | verifications/s | ratio | target (issue 6) |
|---|---:|---|---|
${lines.join('\n')}

From the text, the signature check through WebCrypto, Base45, ZLIB and the strict CBOR decoder share
the time; from an image, decoding the PNG and jsqr's binarisation and finder-pattern search dominate
and grow with the number of pixels, so a photo is slower than these rendered images.
`;
}

// Alone: measure the baseline here, then the section.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const core = await import('@trieste/core');
  const adapters = await import('@trieste/adapters');
  const seconds = Number(process.env.TRIESTE_BENCH_SECONDS ?? 3);
  const raw = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = Buffer.alloc(900, 'a');
  const signature = sign('sha256', input, { key: raw.privateKey, dsaEncoding: 'ieee-p1363' });
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    verify('sha256', input, { key: raw.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    ops++;
  }
  const rawVerify = ops / ((performance.now() - start) / 1000);
  console.log(
    `${'node:crypto ES256 verify (baseline)'.padEnd(52)} ${Math.round(rawVerify).toLocaleString('en').padStart(10)} /s`,
  );
  const { markdown } = await benchQr({ core, adapters, rawVerify, seconds });
  console.log(markdown);
}
