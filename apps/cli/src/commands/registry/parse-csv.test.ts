import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord } from './parse-csv.js';
import { csvField } from './people-csv.js';

/** Parses `text` fed in chunks of `size` characters (every size must give the same records). */
function parse(text: string, size = text.length || 1, bounds = {}): CsvRecord[] {
  const parser = new CsvParser(bounds);
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
  out.push(...parser.end());
  return out;
}

/** Every chunking of the text, down to one character at a time. */
function everyChunking(text: string): CsvRecord[] {
  const whole = parse(text);
  for (let size = 1; size < text.length; size++) expect(parse(text, size)).toEqual(whole);
  return whole;
}

describe('CsvParser (RFC 4180 §2)', () => {
  // Negative cases first: the file is untrusted.
  it('flags a quote inside an unquoted field, and keeps the next record', () => {
    expect(everyChunking('a,b"c,d\ne,f,g\n')).toEqual([
      { line: 1, fields: ['a', 'b"c', 'd'], error: 'a quote inside an unquoted field' },
      { line: 2, fields: ['e', 'f', 'g'] },
    ]);
  });

  it('flags text after a closing quote, and keeps the next record', () => {
    expect(everyChunking('"ab"c,d\ne,f\n')).toEqual([
      { line: 1, fields: ['abc', 'd'], error: 'text after a closing quote' },
      { line: 2, fields: ['e', 'f'] },
    ]);
  });

  it('flags a quoted field left open at the end, on the line it started', () => {
    expect(everyChunking('a,b\n"c,d\ne,f\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c,d\ne,f\n'], error: 'a quoted field is not closed before the end of the file' },
    ]);
  });

  it('bounds the field length and the field count', () => {
    // The fields of a flagged record are unreliable: only its line and its error count.
    const long = parse('abcdef,g\nh\n', 3, { maxField: 5 });
    expect(long[0]).toMatchObject({ line: 1, error: 'a field is longer than 5 characters' });
    expect(long[1]).toEqual({ line: 2, fields: ['h'] });
    expect(parse('a,b,c\nd\n', 2, { maxFields: 2 })[0]).toMatchObject({
      line: 1,
      error: 'a record has more than 2 fields',
    });
  });

  it('reads quoted fields with separators, doubled quotes and line ends (rules 5-7)', () => {
    expect(everyChunking('"a,b","say ""hi""","two\r\nlines"\r\nnext,"",x\r\n')).toEqual([
      { line: 1, fields: ['a,b', 'say "hi"', 'two\r\nlines'] },
      { line: 3, fields: ['next', '', 'x'] },
    ]);
  });

  it('takes CRLF, LF and a lone CR as line ends, with or without a last one', () => {
    expect(everyChunking('a,b\r\nc,d\ne,f\rg,h')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
      { line: 4, fields: ['g', 'h'] },
    ]);
  });

  it('skips empty lines but keeps their line numbers; a line of separators is a record', () => {
    expect(everyChunking('a\n\n\r\n,\nb\n\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['', ''] },
      { line: 5, fields: ['b'] },
    ]);
    expect(parse('')).toEqual([]);
  });

  it('keeps non-ASCII text and spaces as they are', () => {
    expect(everyChunking(' أمينة , Ольга\n')).toEqual([{ line: 1, fields: [' أمينة ', ' Ольга'] }]);
  });

  it('refuses input after the end', () => {
    const parser = new CsvParser();
    parser.end();
    expect(() => parser.push('a')).toThrow(TypeError);
  });

  it('reads back any records written with csvField, in any chunking', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'é', 'ب', ',', '"', '\r', '\n', ' '),
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        (records, size) => {
          const text = records.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
          expect(parse(text, size).map((r) => r.fields)).toEqual(records);
        },
      ),
    );
  });
});
