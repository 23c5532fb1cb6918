import { renderPaperId } from '@trieste/adapters';
import { type IssuanceContext, type PersonRecord, signClaim169Qr } from '@trieste/core';

/** How long a paper ID's signature is valid (five years): a new one is printed after a change. */
export const PAPER_ID_VALIDITY_SECONDS = 5 * 365 * 86_400;

const GENDER: Record<string, number> = { male: 1, female: 2, other: 3 };

/**
 * The paper identity document of a person without a smartphone: the record's printable fields and
 * a MOSIP Claim 169 QR code (CBOR → CWT → COSE_Sign1 with the issuer's active key → zlib →
 * Base45), verifiable offline with `trieste verify-qr` against this jurisdiction's trust list. The
 * QR carries the same fields as the print (no photo: it would not fit a printable code).
 */
export async function printPaperId(
  person: PersonRecord,
  issuance: IssuanceContext,
  jurisdiction: { code: string; name: string },
): Promise<{ pdf: Uint8Array; png: Uint8Array; qrText: string }> {
  if (!person.uin || person.state !== 'active') throw new TypeError('only an active record has a paper ID');
  const { data } = person;
  const latin = data.names.find((n) => n.script === 'Latn') ?? data.names[0]!;
  const others = data.names.filter((n) => n !== latin);
  const fullName = (n: typeof latin) => [n.given, n.middle, n.family].filter(Boolean).join(' ');
  const address = data.address
    ? [
        ...(data.address.lines ?? []),
        [data.address.postalCode, data.address.locality].filter(Boolean).join(' '),
      ]
        .filter(Boolean)
        .join('\n')
    : undefined;
  const issuedAt = Math.floor(issuance.clock.now());
  const expiresAt = issuedAt + PAPER_ID_VALIDITY_SECONDS;
  const signer = await issuance.stores.keys.signer();
  const qrText = await signClaim169Qr(
    {
      issuer: issuance.issuer,
      issuedAt,
      expiresAt,
      identity: {
        id: person.uin,
        fullName: fullName(latin),
        firstName: latin.given,
        ...(latin.family ? { lastName: latin.family } : {}),
        ...(data.dateOfBirth ? { dateOfBirth: data.dateOfBirth.value.replaceAll('-', '') } : {}),
        ...(data.sex && GENDER[data.sex] ? { gender: GENDER[data.sex] } : {}),
        ...(address ? { address } : {}),
        ...(data.nationality?.[0] ? { nationality: data.nationality[0] } : {}),
        ...(others[0] ? { secondaryFullName: fullName(others[0]) } : {}),
        ...(data.legalStatus ? { legalStatus: data.legalStatus } : {}),
        countryOfIssuance: jurisdiction.code,
      },
    },
    signer,
  );
  const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
  const rendered = await renderPaperId({
    jurisdiction,
    qrText,
    person: {
      id: person.uin,
      fullName: fullName(latin),
      otherNames: others.map((n) => ({ script: n.script, value: fullName(n) })),
      ...(data.dateOfBirth
        ? { dateOfBirth: `${data.dateOfBirth.value}${data.dateOfBirth.estimated ? ' (estimated)' : ''}` }
        : {}),
      ...(data.sex ? { sex: data.sex.replace('_', ' ') } : {}),
      ...(data.placeOfBirth
        ? { placeOfBirth: [data.placeOfBirth.locality, data.placeOfBirth.country].filter(Boolean).join(', ') }
        : {}),
      ...(data.nationality?.length ? { nationality: data.nationality.join(', ') } : {}),
      ...(data.legalStatus ? { legalStatus: data.legalStatus.replace('_', ' ') } : {}),
      ...(address ? { address } : {}),
      issued: day(issuedAt),
      expires: day(expiresAt),
    },
  });
  return { ...rendered, qrText };
}
