import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { type QrModules, qrModules, Raster } from '../qr-image/raster.js';
import { drawText, foldForFont, GLYPH_HEIGHT, textWidth } from './bitmap-font.js';

/** What the paper ID prints, already formatted for people (dates, sex, statuses as the jurisdiction writes them). */
export interface PaperIdPerson {
  /** The identity number (UIN) or document number. */
  id: string;
  /** The name in Latin script, as it should be printed. */
  fullName: string;
  /** The name in other scripts, e.g. `{ script: 'Arab', value: 'أمينة حداد' }` (ISO 15924 codes). */
  otherNames?: Array<{ script: string; value: string }>;
  dateOfBirth?: string;
  sex?: string;
  placeOfBirth?: string;
  nationality?: string;
  legalStatus?: string;
  /** Lines separated by "\n"; at most three are printed. */
  address?: string;
  issued?: string;
  expires?: string;
  photo?: { bytes: Uint8Array; format: 'jpeg' | 'png' };
}

export interface PaperIdLabels {
  title: string;
  id: string;
  name: string;
  dateOfBirth: string;
  sex: string;
  placeOfBirth: string;
  nationality: string;
  legalStatus: string;
  address: string;
  issued: string;
  expires: string;
  scan: string;
  /** Printed instead of a value the font cannot show; `{script}` is replaced by the script code. */
  notPrintable: string;
}

export const DEFAULT_PAPER_ID_LABELS: PaperIdLabels = {
  title: 'Identity document',
  id: 'ID number',
  name: 'Name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  placeOfBirth: 'Place of birth',
  nationality: 'Nationality',
  legalStatus: 'Legal status',
  address: 'Address',
  issued: 'Issued',
  expires: 'Expires',
  scan: 'Scan the code to verify offline',
  notPrintable: '({script} script: not printable in this font)',
};

export interface RenderPaperIdInput {
  person: PaperIdPerson;
  /** The signed QR text, e.g. from signClaim169Qr. */
  qrText: string;
  jurisdiction: { name: string; code?: string };
  labels?: Partial<PaperIdLabels>;
}

// A6 portrait (105 × 148 mm) in PDF points: printable on any office printer, two per A5 sheet.
const PAGE_WIDTH = 297.64;
const PAGE_HEIGHT = 419.53;
const MARGIN = 20;
// 53 mm: the EU DCC specification recommends a 35–60 mm code for fixed-optics readers.
const QR_SIDE = 150;

/**
 * Renders the paper identity document for people without a smartphone: an A6 PDF with the
 * person's data and the signed QR code, and a PNG of the QR code with a caption (ID, name, date of
 * birth) for screens and messaging.
 *
 * Fonts: the PDF uses the standard Helvetica, whose WinAnsi encoding covers Western European
 * Latin but not Arabic, Cyrillic, or Latin letters such as "ł" or "ğ". A value Helvetica cannot
 * show is never approximated: the label says it is not printable (`labels.notPrintable`), and the
 * Latin form (`fullName`) is what identifies the person on paper; the QR code carries whatever the
 * issuer signed. The PNG caption folds Latin diacritics away (ö → O) and leaves out any line it
 * cannot draw. Embedding a Unicode font (e.g. Noto Naskh Arabic with @pdf-lib/fontkit, plus
 * right-to-left shaping) would lift this; neither is installed.
 */
export async function renderPaperId(
  input: RenderPaperIdInput,
): Promise<{ pdf: Uint8Array; png: Uint8Array }> {
  const { person, qrText, jurisdiction } = input;
  if (typeof person?.id !== 'string' || typeof person.fullName !== 'string') {
    throw new TypeError('person must have an id and a fullName');
  }
  const labels = { ...DEFAULT_PAPER_ID_LABELS, ...input.labels };
  const modules = qrModules(qrText);
  return {
    pdf: await renderPdf(person, modules, jurisdiction, labels),
    png: renderPng(person, modules, jurisdiction),
  };
}

async function renderPdf(
  person: PaperIdPerson,
  modules: QrModules,
  jurisdiction: RenderPaperIdInput['jurisdiction'],
  labels: PaperIdLabels,
): Promise<Uint8Array> {
  // No producer or dates written: the file depends only on its inputs, and the metadata holds
  // nothing about the person.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(labels.title);
  const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const grey = rgb(0.35, 0.35, 0.35);

  let y = PAGE_HEIGHT - MARGIN - 12;
  const heading = jurisdiction.code ? `${jurisdiction.name} (${jurisdiction.code})` : jurisdiction.name;
  drawFitted(
    page,
    printable(bold, heading) ? heading : (jurisdiction.code ?? ''),
    MARGIN,
    y,
    bold,
    13,
    PAGE_WIDTH - 2 * MARGIN,
  );
  y -= 14;
  drawFitted(
    page,
    printableOr(regular, labels.title, ''),
    MARGIN,
    y,
    regular,
    9,
    PAGE_WIDTH - 2 * MARGIN,
    grey,
  );
  y -= 8;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: PAGE_WIDTH - MARGIN, y }, thickness: 0.5, color: grey });
  y -= 16;

  let textWidthLimit = PAGE_WIDTH - 2 * MARGIN;
  if (person.photo) {
    const image =
      person.photo.format === 'jpeg'
        ? await doc.embedJpg(person.photo.bytes)
        : await doc.embedPng(person.photo.bytes);
    const box = { width: 66, height: 85 };
    const scale = Math.min(box.width / image.width, box.height / image.height);
    page.drawImage(image, {
      x: PAGE_WIDTH - MARGIN - image.width * scale,
      y: y + 8 - image.height * scale,
      width: image.width * scale,
      height: image.height * scale,
    });
    textWidthLimit -= box.width + 8;
  }

  // One field: a small grey label over the value (up to three lines). `column` 1 puts it in the
  // right half of the row, beside the previous field.
  const lineOf = (value: string, script?: string) =>
    printable(regular, value)
      ? value
      : printableOr(regular, labels.notPrintable.replace('{script}', script ?? 'this'), '');
  const field = (
    label: string,
    value: string | undefined,
    options: { script?: string; half?: boolean } = {},
  ) => {
    if (value === undefined || value === '') return 0;
    const width = options.half ? (textWidthLimit - 10) / 2 : textWidthLimit;
    const x = MARGIN + (options.half && halfTaken ? width + 10 : 0);
    let at = y;
    drawFitted(page, printableOr(regular, label, ''), x, at, regular, 6, width, grey);
    at -= 8.5;
    for (const line of value.split('\n').slice(0, 3)) {
      drawFitted(page, lineOf(line, options.script), x, at, regular, 9, width);
      at -= 10.5;
    }
    return y - at + 2;
  };
  let halfTaken = false;
  let rowHeight = 0;
  const full = (label: string, value: string | undefined, script?: string) => {
    endRow();
    y -= field(label, value, { script });
  };
  const half = (label: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    rowHeight = Math.max(rowHeight, field(label, value, { half: true }));
    if (halfTaken) endRow();
    else halfTaken = true;
  };
  const endRow = () => {
    y -= rowHeight;
    rowHeight = 0;
    halfTaken = false;
  };
  full(labels.id, person.id);
  full(labels.name, person.fullName, 'Latn');
  // At most two other scripts, so the page keeps room for a QR code of at least 35 mm.
  for (const other of (person.otherNames ?? []).slice(0, 2)) {
    full(`${labels.name} (${other.script})`, other.value, other.script);
  }
  half(labels.dateOfBirth, person.dateOfBirth);
  half(labels.sex, person.sex);
  half(labels.placeOfBirth, person.placeOfBirth);
  half(labels.nationality, person.nationality);
  half(labels.legalStatus, person.legalStatus);
  half(labels.issued, person.issued);
  half(labels.expires, person.expires);
  full(labels.address, person.address);
  endRow();

  // The QR code as large as the space left allows, from 35 mm (worst case: every field, two
  // other scripts, three address lines) to 53 mm (the EU DCC recommends 35–60 mm).
  const qrSide = Math.min(QR_SIDE, y - MARGIN - 14 - 6);
  // The QR code as vector squares (sharp at any print resolution): one path, a rectangle per run
  // of dark modules in a row, in module units with the y axis down as SVG has it, scaled onto the
  // page; the quiet zone of four modules stays white.
  const module = qrSide / (modules.size + 8);
  let path = '';
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; ) {
      if (!modules.dark(row, column)) {
        column++;
        continue;
      }
      let end = column;
      while (end < modules.size && modules.dark(row, end)) end++;
      path += `M${column} ${row}h${end - column}v1h${column - end}z`;
      column = end;
    }
  }
  page.drawSvgPath(path, {
    x: (PAGE_WIDTH - qrSide) / 2 + 4 * module,
    y: MARGIN + 14 + qrSide - 4 * module,
    scale: module,
    color: rgb(0, 0, 0),
    borderWidth: 0,
  });
  const caption = printableOr(regular, labels.scan, '');
  const captionWidth = regular.widthOfTextAtSize(caption, 7);
  page.drawText(caption, {
    x: (PAGE_WIDTH - captionWidth) / 2,
    y: MARGIN + 4,
    size: 7,
    font: regular,
    color: grey,
  });
  return new Uint8Array(await doc.save({ useObjectStreams: false }));
}

function renderPng(
  person: PaperIdPerson,
  modules: QrModules,
  jurisdiction: RenderPaperIdInput['jurisdiction'],
): Uint8Array {
  const scale = 4;
  const text = 2;
  const margin = 4 * scale;
  const lines = [
    foldForFont(jurisdiction.name) ?? jurisdiction.code ?? '',
    `ID ${foldForFont(person.id) ?? ''}`,
    foldForFont(person.fullName),
    person.dateOfBirth === undefined ? undefined : foldForFont(person.dateOfBirth),
  ].filter((line): line is string => line !== undefined && line.trim() !== '');
  const qrSide = (modules.size + 8) * scale;
  const lineHeight = (GLYPH_HEIGHT + 4) * text;
  const width = Math.max(qrSide, ...lines.map((line) => textWidth(line, text) + 2 * margin));
  const raster = new Raster(width, qrSide + lines.length * lineHeight + margin);
  raster.drawQr(modules, Math.floor((width - qrSide) / 2) + 4 * scale, 4 * scale, scale);
  lines.forEach((line, i) => {
    drawText(raster, line, Math.floor((width - textWidth(line, text)) / 2), qrSide + i * lineHeight, text);
  });
  return raster.toPng();
}

/** Whether the standard font's encoding (WinAnsi) has every character of `text`. */
function printable(font: PDFFont, text: string): boolean {
  try {
    font.encodeText(text);
    return true;
  } catch {
    return false;
  }
}

function printableOr(font: PDFFont, text: string, fallback: string): string {
  return printable(font, text) ? text : fallback;
}

/** Draws one line, shrinking the size (down to 6 pt) until it fits `maxWidth`; beyond that it is cut, visibly ("…"). */
function drawFitted(
  page: PDFPage,
  text: string,
  x: number,
  y: number,
  font: PDFFont,
  size: number,
  maxWidth: number,
  color = rgb(0, 0, 0),
): void {
  let fitted = size;
  while (fitted > 6 && font.widthOfTextAtSize(text, fitted) > maxWidth) fitted -= 0.5;
  let shown = text;
  if (font.widthOfTextAtSize(shown, fitted) > maxWidth) {
    while (shown.length > 1 && font.widthOfTextAtSize(`${shown}…`, fitted) > maxWidth)
      shown = shown.slice(0, -1);
    shown = `${shown}…`;
  }
  page.drawText(shown, { x, y, size: fitted, font, color });
}
