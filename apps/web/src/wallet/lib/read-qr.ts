import { WalletError } from './wallet-error';

/** Larger pictures are scaled down first: jsQR's work grows with pixels, a code needs few. */
const MAX_SIDE = 1600;
/** An image file larger than this is refused before decoding (decompression bombs). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

let detector: Promise<BarcodeDetectorLike | undefined> | undefined;

/** The platform's QR detector (Shape Detection API) when it has one for QR codes. */
function platformDetector(): Promise<BarcodeDetectorLike | undefined> {
  detector ??= (async () => {
    const Detector = (
      globalThis as {
        BarcodeDetector?: BarcodeDetectorClass & { getSupportedFormats?: () => Promise<string[]> };
      }
    ).BarcodeDetector;
    if (!Detector) return undefined;
    try {
      const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
      return formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : undefined;
    } catch {
      return undefined;
    }
  })();
  return detector;
}

/** jsQR over the pixels of a canvas, loaded only when needed (it is not in the first download). */
async function decodePixels(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<string | undefined> {
  const context = canvas.getContext('2d', { willReadFrequently: true }) as
    | CanvasRenderingContext2D
    | OffscreenCanvasRenderingContext2D
    | null;
  if (!context) return undefined;
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  const module = await import('jsqr');
  const jsQR = (module.default ?? (module as unknown as typeof module.default)) as typeof module.default;
  return jsQR(data, width, height, { inversionAttempts: 'attemptBoth' })?.data || undefined;
}

function drawScaled(source: CanvasImageSource, width: number, height: number): HTMLCanvasElement {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext('2d')?.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** Reads the QR code of an image file the holder chose (a photo or a screenshot). */
export async function readQrFromFile(file: Blob): Promise<string> {
  if (file.size > MAX_FILE_BYTES) throw new WalletError('QR_NOT_FOUND', 'the image is too large');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (cause) {
    throw new WalletError('QR_NOT_FOUND', 'the file is not an image', { cause });
  }
  try {
    const platform = await platformDetector();
    if (platform) {
      const found = await platform.detect(bitmap).catch(() => []);
      if (found[0]?.rawValue) return found[0].rawValue;
    }
    const text = await decodePixels(drawScaled(bitmap, bitmap.width, bitmap.height));
    if (!text) throw new WalletError('QR_NOT_FOUND', 'no QR code in the image');
    return text;
  } finally {
    bitmap.close();
  }
}

/** Looks for a QR code in the current frame of a playing camera video. */
export async function readQrFromVideo(video: HTMLVideoElement): Promise<string | undefined> {
  if (video.readyState < 2 || video.videoWidth === 0) return undefined;
  const platform = await platformDetector();
  if (platform) {
    const found = await platform.detect(video).catch(() => []);
    return found[0]?.rawValue || undefined;
  }
  return decodePixels(drawScaled(video, video.videoWidth, video.videoHeight));
}

/** The rear camera, when the browser and the holder allow it. */
export async function openCamera(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia)
    throw new WalletError('CAMERA_UNAVAILABLE', 'no camera API here');
  try {
    return await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (cause) {
    throw new WalletError('CAMERA_UNAVAILABLE', 'the camera could not be opened', { cause });
  }
}
