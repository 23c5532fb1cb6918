import { prepareQrTrust, type QrTrustMaterial, verifyQrText } from '@trieste/core';
import { readQrFromImage } from './read-qr-from-image.js';

export interface QrVerificationThroughput {
  /** Verifications per second from the QR text, one after the other on this thread. */
  textPerSecond: number;
  /** Image reads plus verifications per second from the PNG or JPEG, when one was given. */
  imagePerSecond?: number;
  /** Whether the code verified (a benchmark of failures measures nothing useful). */
  valid: boolean;
}

/**
 * Measures offline QR verification throughput on one core, for `npm run bench`: verifyQrText on
 * `text` back to back for `seconds`, then (if `image` is given) readQrFromImage + verifyQrText.
 * Trust material is prepared once beforehand, as a verifier would. Targets (issue 6): at least
 * 1,000/s from text and 50/s from PNG.
 */
export async function measureQrVerification(input: {
  text: string;
  image?: Uint8Array;
  trust: QrTrustMaterial;
  now: number;
  seconds?: number;
}): Promise<QrVerificationThroughput> {
  const seconds = input.seconds ?? 2;
  await prepareQrTrust(input.trust);
  const first = await verifyQrText(input.text, input.trust, { now: input.now });
  const textPerSecond = await rate(seconds, () => verifyQrText(input.text, input.trust, { now: input.now }));
  const out: QrVerificationThroughput = { textPerSecond, valid: first.valid };
  if (input.image) {
    const image = input.image;
    out.imagePerSecond = await rate(seconds, () =>
      verifyQrText(readQrFromImage(image), input.trust, { now: input.now }),
    );
  }
  return out;
}

async function rate(seconds: number, work: () => Promise<unknown>): Promise<number> {
  // Warm up: JIT, key imports, caches.
  for (let i = 0; i < 20; i++) await work();
  const start = performance.now();
  const end = start + seconds * 1000;
  let count = 0;
  while (performance.now() < end) {
    await work();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}
