import jpeg from 'jpeg-js';
import jsQRModule, { type QRCode as JsQrCode, type Options as JsQrOptions } from 'jsqr';
import { PNG } from 'pngjs';
import { AdapterError } from '../errors.js';

// jsqr is CommonJS whose module.exports is the function (also as `.default`); its types describe
// an ES default export, which TypeScript's NodeNext interop then sees one level too deep.
type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: JsQrOptions,
) => JsQrCode | null;
const jsQR = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

export interface ReadQrFromImageOptions {
  /** Largest file accepted. Default 20 MiB. */
  maxBytes?: number;
  /** Largest width × height accepted, read from the header before decoding. Default 25 million. */
  maxPixels?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads the text of the QR code in a PNG or JPEG image (a photo of a paper ID, a screenshot of a
 * wallet). The image is untrusted: its declared dimensions are checked against `maxPixels` before
 * any pixel is decoded, so a small file claiming a huge image (a decompression bomb) is refused
 * with IMAGE_TOO_LARGE without spending the memory. Not PNG or JPEG, or not decodable:
 * IMAGE_INVALID. No QR code found: QR_NOT_FOUND.
 */
export function readQrFromImage(bytes: Uint8Array, options: ReadQrFromImageOptions = {}): string {
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const maxPixels = options.maxPixels ?? 25_000_000;
  if (bytes.length > maxBytes)
    throw new AdapterError('IMAGE_TOO_LARGE', `image file is over ${maxBytes} bytes`);
  const image = isPng(bytes)
    ? decodePng(bytes, maxPixels)
    : isJpeg(bytes)
      ? decodeJpeg(bytes, maxPixels)
      : undefined;
  if (!image) throw new AdapterError('IMAGE_INVALID', 'image is neither PNG nor JPEG');
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  // Reduced resolutions first, coarsest first: jsqr's binarisation and finder search cost grows
  // with the pixels, and a code drawn with several pixels per module reads as well at half the size.
  for (const level of reducedLevels(image)) {
    const found = scan(level.pixels, level.width, level.height, 'dontInvert');
    if (found) return found;
  }
  // Full resolution, dark-on-light first (the common case and the cheapest), then inverted (a
  // wallet's dark mode). jsqr 1.4.0's "onlyInvert" never builds the inverted image and crashes, so
  // "invertFirst" it is.
  let found: string | undefined;
  try {
    found =
      scan(pixels, image.width, image.height, 'dontInvert', true) ??
      scan(pixels, image.width, image.height, 'invertFirst', true);
  } catch (cause) {
    throw new AdapterError('QR_NOT_FOUND', 'no readable QR code in the image', { cause });
  }
  if (!found) throw new AdapterError('QR_NOT_FOUND', 'no readable QR code in the image');
  return found;
}

/**
 * The smallest side a reduced level may have. A code rendered at 4 pixels per module or more keeps
 * at least 2 per module at half size; finer codes fail there and are read at full resolution.
 */
const MIN_REDUCED_SIDE = 150;

/** One jsqr pass; a reduced level's failure (even a jsqr crash) only sends us to the next level. */
function scan(
  pixels: Uint8ClampedArray,
  width: number,
  height: number,
  inversionAttempts: 'dontInvert' | 'invertFirst',
  rethrow = false,
): string | undefined {
  try {
    const found = jsQR(pixels, width, height, { inversionAttempts });
    return found && found.data !== '' ? found.data : undefined;
  } catch (error) {
    if (rethrow) throw error;
    return undefined;
  }
}

/**
 * The image halved (2×2 box filter over Rec. 709 luminance, as jsqr weighs colours) as long as the
 * smaller side stays at least MIN_REDUCED_SIDE, coarsest first, as the RGBA jsqr reads. Each
 * halving reads the previous level, so all of them cost about a third of one full-size pass; when
 * every level fails the full-size passes still run, so nothing is read less well than before.
 */
function reducedLevels(image: Rgba): Array<{ pixels: Uint8ClampedArray; width: number; height: number }> {
  let width = image.width;
  let height = image.height;
  if (Math.min(width, height) < 2 * MIN_REDUCED_SIDE) return [];
  let gray = new Uint8Array(width * height);
  const rgba = image.data;
  for (let i = 0, p = 0; i < gray.length; i++, p += 4) {
    gray[i] = (rgba[p]! * 54 + rgba[p + 1]! * 183 + rgba[p + 2]! * 19) >> 8;
  }
  const levels: Array<{ pixels: Uint8ClampedArray; width: number; height: number }> = [];
  while (Math.min(width, height) >= 2 * MIN_REDUCED_SIDE) {
    const w = width >> 1;
    const h = height >> 1;
    const half = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      const top = 2 * y * width;
      const bottom = top + width;
      for (let x = 0; x < w; x++) {
        const at = 2 * x;
        half[y * w + x] =
          (gray[top + at]! + gray[top + at + 1]! + gray[bottom + at]! + gray[bottom + at + 1]! + 2) >> 2;
      }
    }
    const pixels = new Uint8ClampedArray(w * h * 4);
    for (let i = 0, p = 0; i < half.length; i++, p += 4) {
      const v = half[i]!;
      pixels[p] = v;
      pixels[p + 1] = v;
      pixels[p + 2] = v;
      pixels[p + 3] = 255;
    }
    levels.push({ pixels, width: w, height: h });
    gray = half;
    width = w;
    height = h;
  }
  return levels.reverse();
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function decodePng(bytes: Uint8Array, maxPixels: number): Rgba {
  // PNG §11.2.2: IHDR is the first chunk; width and height are bytes 16–23.
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    throw new AdapterError('IMAGE_INVALID', 'PNG has no IHDR header');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkSize(view.getUint32(16), view.getUint32(20), maxPixels);
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  } catch (cause) {
    throw new AdapterError('IMAGE_INVALID', 'PNG does not decode', { cause });
  }
}

function decodeJpeg(bytes: Uint8Array, maxPixels: number): Rgba {
  const { width, height } = jpegSize(bytes);
  checkSize(width, height, maxPixels);
  try {
    return jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: Math.ceil(maxPixels / 1_000_000),
      maxMemoryUsageInMB: 512,
    });
  } catch (cause) {
    throw new AdapterError('IMAGE_INVALID', 'JPEG does not decode', { cause });
  }
}

/**
 * The frame size from the first SOFn segment (ITU-T T.81 §B.2.2), walking the marker segments by
 * their declared lengths. A JPEG without one is IMAGE_INVALID.
 */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new AdapterError('IMAGE_INVALID', 'JPEG marker structure is broken');
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, start of scan: no frame header before
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) break;
      return {
        height: (bytes[at + 5]! << 8) | bytes[at + 6]!,
        width: (bytes[at + 7]! << 8) | bytes[at + 8]!,
      };
    }
    if (length < 2) break;
    at += 2 + length;
  }
  throw new AdapterError('IMAGE_INVALID', 'JPEG has no frame header');
}

function checkSize(width: number, height: number, maxPixels: number): void {
  if (width === 0 || height === 0) throw new AdapterError('IMAGE_INVALID', 'image has no pixels');
  if (width * height > maxPixels) {
    throw new AdapterError('IMAGE_TOO_LARGE', `image of ${width}×${height} is over ${maxPixels} pixels`);
  }
}
