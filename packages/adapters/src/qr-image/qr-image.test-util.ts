// Image helpers for tests of other packages (the CLI), which do not depend on the codecs.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A PNG re-encoded as a JPEG (lossy, as a phone camera would give it). */
export function pngToJpeg(png: Uint8Array, quality = 80): Uint8Array {
  const image = PNG.sync.read(Buffer.from(png));
  return new Uint8Array(
    jpeg.encode({ width: image.width, height: image.height, data: image.data }, quality).data,
  );
}

/** A white PNG: an image with no QR code in it. */
export function blankPng(width: number, height: number): Uint8Array {
  const png = new PNG({ width, height });
  png.data.fill(255);
  return new Uint8Array(PNG.sync.write(png));
}
