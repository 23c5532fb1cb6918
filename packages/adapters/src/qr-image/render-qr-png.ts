import { type QrErrorCorrection, qrModules, Raster } from './raster.js';

export interface RenderQrPngOptions {
  /** Pixels per module. Default 6. */
  scale?: number;
  /** Quiet zone in modules; ISO/IEC 18004 asks for 4. Default 4. */
  margin?: number;
  /** Strongest level to try; weaker ones are used when the text does not fit. Default Q. */
  errorCorrection?: QrErrorCorrection;
}

/** Renders `text` as a QR code in a grayscale PNG (see qrModules for the mode and level chosen). */
export function renderQrPng(text: string, options: RenderQrPngOptions = {}): Uint8Array {
  const scale = options.scale ?? 6;
  const margin = options.margin ?? 4;
  if (!Number.isInteger(scale) || scale < 1 || scale > 50)
    throw new TypeError('scale must be an integer 1-50');
  if (!Number.isInteger(margin) || margin < 0 || margin > 20)
    throw new TypeError('margin must be an integer 0-20');
  const modules = qrModules(text, options.errorCorrection);
  const side = (modules.size + 2 * margin) * scale;
  const raster = new Raster(side, side);
  raster.drawQr(modules, margin * scale, margin * scale, scale);
  return raster.toPng();
}
