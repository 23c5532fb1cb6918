import { signClaim169Qr, verifyQrText } from '@trieste/core';
import jpeg from 'jpeg-js';
import { decodePDFRawStream, PDFArray, PDFDocument, type PDFRawStream } from 'pdf-lib';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DAY,
  IDENTITY,
  NOW,
  REGISTRY,
  registrySigner,
  registryTrust,
} from '../../../core/src/qr/qr-fixtures.test-util.js';
import { Raster } from '../qr-image/raster.js';
import { readQrFromImage } from '../qr-image/read-qr-from-image.js';
import { foldForFont } from './bitmap-font.js';
import { type PaperIdPerson, renderPaperId } from './render-paper-id.js';

const person: PaperIdPerson = {
  id: '4829175036',
  fullName: 'Amina Haddad-Gößinger',
  otherNames: [{ script: 'Arab', value: 'أمينة حداد' }],
  dateOfBirth: '1990-03-01',
  sex: 'F',
  placeOfBirth: 'Aleppo',
  nationality: 'XA',
  legalStatus: 'Refugee',
  address: 'Via del Porto 7\n34100 Trieste',
  issued: '2025-06-15',
  expires: '2035-06-14',
};
const jurisdiction = { name: 'Republic of Xanadu', code: 'XA' };

/** The page's content stream(s), decoded by pdf-lib (they are Flate-compressed). */
async function content(pdf: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(pdf);
  const contents = doc.getPages()[0]!.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  return streams
    .map((item) => doc.context.lookup(item) as PDFRawStream)
    .map((stream) => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'))
    .join('\n');
}

/** The text drawn on the page: Helvetica's hex strings decoded. */
async function pageText(pdf: Uint8Array): Promise<string> {
  return [...(await content(pdf)).matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)]
    .map((m) => Buffer.from(m[1]!, 'hex').toString('latin1'))
    .join('\n');
}

/**
 * The QR code as the PDF draws it, read back: the filled path's rectangles (in module units, after
 * the `cm` that scales them onto the page) rasterised and decoded with jsQR; and where on the page
 * it lands, next to the baselines of every text line.
 */
async function pdfQr(
  pdf: Uint8Array,
): Promise<{ text: string; bottom: number; top: number; textBaselines: number[] }> {
  const stream = await content(pdf);
  const block =
    /1 0 0 1 ([\d.]+) ([\d.]+) cm\n1 0 0 1 0 0 cm\n([\d.]+) 0 0 -[\d.]+ 0 0 cm\n([\s\S]*?)\nf\n/.exec(stream);
  if (!block) throw new Error('no QR code path in the page');
  const [, , originY, scale, ops] = block;
  const rects = [...ops!.matchAll(/(\d+) (\d+) m\n(\d+) \d+ l\n\d+ (\d+) l/g)].map((m) =>
    m.slice(1).map(Number),
  );
  const size = Math.max(...rects.map(([, , x1]) => x1!));
  const pixel = 4;
  const raster = new Raster((size + 8) * pixel, (size + 8) * pixel);
  for (const [x0, y0, x1, y1] of rects)
    raster.fill((x0! + 4) * pixel, (y0! + 4) * pixel, (x1! - x0!) * pixel, (y1! - y0!) * pixel);
  const top = Number(originY);
  const baselines = [...stream.matchAll(/1 0 0 1 [\d.]+ ([\d.]+) Tm/g)].map((m) => Number(m[1]));
  return {
    text: readQrFromImage(raster.toPng()),
    top,
    bottom: top - size * Number(scale),
    textBaselines: baselines,
  };
}

let qrText: string;
beforeAll(async () => {
  qrText = await signClaim169Qr(
    { identity: IDENTITY, issuer: REGISTRY, issuedAt: NOW - DAY, expiresAt: NOW + 3650 * DAY },
    registrySigner,
  );
});

describe('renderPaperId', () => {
  it('renders a PNG whose QR code reads back and verifies, with a caption it can draw', async () => {
    const { png } = await renderPaperId({ person, qrText, jurisdiction });
    const image = PNG.sync.read(Buffer.from(png));
    expect(image.height).toBeGreaterThan(image.width);
    const text = readQrFromImage(png);
    expect(text).toBe(qrText);
    const result = await verifyQrText(text, registryTrust, { now: NOW });
    expect(result.valid).toBe(true);
    expect(result.claims?.['fullName']).toBe(IDENTITY.fullName);
    expect(foldForFont(person.fullName)).toBe('AMINA HADDAD-GOSSINGER');
    expect(foldForFont('أمينة')).toBeUndefined();
  });

  it('renders an A6 PDF with the data it can print, and says which values it cannot', async () => {
    const { pdf } = await renderPaperId({ person, qrText, jurisdiction });
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPages()[0]!.getSize();
    expect([Math.round(width / 2.8346), Math.round(height / 2.8346)]).toEqual([105, 148]);
    // The metadata says what the document is and nothing about whom.
    expect(doc.getTitle()).toBe('Identity document');
    expect(doc.getAuthor()).toBeUndefined();
    const text = await pageText(pdf);
    for (const printed of [
      'Republic of Xanadu (XA)',
      '4829175036',
      'Amina Haddad-Gößinger',
      '1990-03-01',
      'Refugee',
      'Via del Porto 7',
      '34100 Trieste',
    ]) {
      expect(text).toContain(printed);
    }
    // The printed QR code is the signed one, and no text runs into it.
    const qr = await pdfQr(pdf);
    expect(qr.text).toBe(qrText);
    expect(qr.top - qr.bottom).toBeGreaterThan(35 * 2.8346 - 8 * 1.6); // ≥ 35 mm with its quiet zone
    for (const baseline of qr.textBaselines)
      expect(baseline > qr.top + 4 || baseline < qr.bottom - 4).toBe(true);
    // Helvetica cannot show Arabic: the PDF says so instead of printing something else.
    expect(text).toContain('Name (Arab)');
    expect(text).toContain('(Arab script: not printable in this font)');
  });

  it('takes the jurisdiction’s labels, embeds a photo, and gives the same bytes for the same input', async () => {
    const photo = jpeg.encode(
      { width: 30, height: 40, data: new Uint8Array(30 * 40 * 4).fill(128) },
      80,
    ).data;
    const input = {
      person: { ...person, photo: { bytes: new Uint8Array(photo), format: 'jpeg' as const } },
      qrText,
      jurisdiction,
      labels: {
        title: 'Documento di identità',
        name: 'Nome',
        notPrintable: '(scrittura {script}: non stampabile)',
      },
    };
    const first = await renderPaperId(input);
    const second = await renderPaperId(input);
    expect(Buffer.from(first.pdf).equals(Buffer.from(second.pdf))).toBe(true);
    expect(Buffer.from(first.png).equals(Buffer.from(second.png))).toBe(true);
    const text = await pageText(first.pdf);
    expect(text).toContain('Documento di identità');
    expect(text).toContain('(scrittura Arab: non stampabile)');
    const doc = await PDFDocument.load(first.pdf);
    expect(doc.getTitle()).toBe('Documento di identità');
  });

  it('keeps the QR code readable and clear of the text with every field filled', async () => {
    const crowded: PaperIdPerson = {
      ...person,
      fullName: 'Maria Fernanda de los Ángeles Castillo-Villanueva Rodríguez y Montenegro',
      otherNames: [
        { script: 'Arab', value: 'ماريا' },
        { script: 'Cyrl', value: 'Мария' },
        { script: 'Grek', value: 'Μαρία' },
      ],
      address: 'Line one\nLine two\nLine three\nLine four (not printed)',
    };
    const { pdf } = await renderPaperId({ person: crowded, qrText, jurisdiction });
    const qr = await pdfQr(pdf);
    expect(qr.text).toBe(qrText);
    expect(qr.top - qr.bottom).toBeGreaterThan(35 * 2.8346 - 8 * 1.6);
    for (const baseline of qr.textBaselines)
      expect(baseline > qr.top + 4 || baseline < qr.bottom - 4).toBe(true);
    const text = await pageText(pdf);
    expect(text).toContain('Line three');
    expect(text).not.toContain('Line four');
    expect(text).not.toContain('Name (Grek)');
    // A name too long for the line at 6 pt is cut visibly, never silently.
    const nameLine = text.split('\n').find((line) => line.startsWith('Maria Fernanda'))!;
    expect(
      nameLine === crowded.fullName ||
        (nameLine.endsWith('…') && crowded.fullName.startsWith(nameLine.slice(0, -1))),
    ).toBe(true);
  });

  it('refuses a person without id or name, and a QR text no code can hold', async () => {
    await expect(
      renderPaperId({ person: { fullName: 'X' } as PaperIdPerson, qrText, jurisdiction }),
    ).rejects.toThrow(TypeError);
    await expect(renderPaperId({ person, qrText: 'A'.repeat(5000), jurisdiction })).rejects.toMatchObject({
      code: 'QR_PAYLOAD_TOO_LARGE',
    });
  });
});
