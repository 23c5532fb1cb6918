import { TriesteError } from '@trieste/core';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

/** A QR code's modules: `size` × `size`, true for dark. */
export interface QrModules {
  size: number;
  dark(row: number, column: number): boolean;
}

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;
// ISO/IEC 18004 version 40-L capacities: alphanumeric characters, bytes.
const MAX_ALPHANUMERIC = 4296;
const MAX_BYTES = 2953;

/**
 * The modules of a QR code for `text`, at the strongest error correction that fits, starting at
 * `level` (default Q, which the EU DCC specification recommends) and falling back to M, then L. A
 * text no QR code can hold is QR_PAYLOAD_TOO_LARGE. Base45 texts are written in alphanumeric mode
 * (the DCC specification requires it), which qrcode chooses for them by itself.
 */
export function qrModules(text: string, level: QrErrorCorrection = 'Q'): QrModules {
  const fits = ALPHANUMERIC.test(text)
    ? text.length <= MAX_ALPHANUMERIC
    : Buffer.byteLength(text, 'utf8') <= MAX_BYTES;
  if (!fits) throw new TriesteError('QR_PAYLOAD_TOO_LARGE', 'text is more than a QR code holds');
  const levels: QrErrorCorrection[] = ['H', 'Q', 'M', 'L'];
  let lastError: unknown;
  for (const candidate of levels.slice(levels.indexOf(level))) {
    try {
      const { modules } = QRCode.create(text, { errorCorrectionLevel: candidate });
      return { size: modules.size, dark: (row, column) => modules.get(row, column) === 1 };
    } catch (error) {
      lastError = error; // too much data for this level: try a weaker one
    }
  }
  throw new TriesteError('QR_PAYLOAD_TOO_LARGE', 'text is more than a QR code holds', { cause: lastError });
}

/** An 8-bit grayscale canvas (0 black, 255 white) that encodes to PNG. */
export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(255);
  }

  fill(x: number, y: number, width: number, height: number, value = 0): void {
    const x0 = Math.max(0, x);
    const x1 = Math.min(this.width, x + width);
    for (let row = Math.max(0, y); row < Math.min(this.height, y + height); row++) {
      this.pixels.fill(value, row * this.width + x0, row * this.width + x1);
    }
  }

  /** Draws the QR code with its top-left module at (x, y), `scale` pixels per module. */
  drawQr(modules: QrModules, x: number, y: number, scale: number): void {
    for (let row = 0; row < modules.size; row++) {
      for (let column = 0; column < modules.size; column++) {
        if (modules.dark(row, column)) this.fill(x + column * scale, y + row * scale, scale, scale);
      }
    }
  }

  toRgba(): Uint8Array {
    const rgba = new Uint8Array(this.width * this.height * 4);
    for (let i = 0; i < this.pixels.length; i++) {
      const v = this.pixels[i]!;
      rgba[i * 4] = v;
      rgba[i * 4 + 1] = v;
      rgba[i * 4 + 2] = v;
      rgba[i * 4 + 3] = 255;
    }
    return rgba;
  }

  /** A grayscale PNG (colour type 0), best compression. */
  toPng(): Uint8Array {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.toRgba());
    return new Uint8Array(PNG.sync.write(png, { colorType: 0, deflateLevel: 9 }));
  }
}
