/**
 * The zlib checksum (RFC 1950 §8.2), for the bounded inflaters that check it themselves (status
 * lists, QR payloads). 5552 is the largest run whose sums cannot overflow 2^32 before the modulo.
 */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
