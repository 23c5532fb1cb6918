/**
 * An incremental, strict RFC 4180 parser (https://www.rfc-editor.org/rfc/rfc4180#section-2) for
 * files too large to hold in memory: text goes in by chunks (`push`), complete records come out
 * with the line each starts on. Records end at CRLF, LF or a lone CR (rule 1, widened: files from
 * other systems end lines in LF); a field is quoted only when its first character is `"` (rule 5),
 * and a quote inside a quoted field is written twice (rule 7); quoted fields may span lines (rule 6).
 *
 * The file is untrusted input. A record that breaks the grammar (a quote inside an unquoted field,
 * text after a closing quote, a field or record over the bounds) is not dropped silently and does
 * not stop the parse: it is returned with `error` set and its fields unreliable, and the parse
 * goes on with the same record boundaries a lenient reader would see, so one bad line costs one
 * row. Only an unterminated quoted field at the end of the input swallows what follows it (there
 * is no way to know where it was meant to end); its record reports the line it started on. Errors
 * name the rule, never the text.
 */
export interface CsvRecord {
  /** The 1-based physical line the record starts on (the header is line 1). */
  line: number;
  fields: string[];
  /** Set when the record breaks the grammar or the bounds: the row is to be reported, not used. */
  error?: string;
}

export interface CsvBounds {
  /** Longest field, in characters (default 10,000). */
  maxField?: number;
  /** Most fields in a record (default 200). */
  maxFields?: number;
}

enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote seen inside a quoted field: either the first of `""` or the closing quote. */
  QuoteInQuoted,
  /** After the closing quote: only a separator or a line end may follow. */
  AfterQuoted,
}

export class CsvParser {
  readonly #maxField: number;
  readonly #maxFields: number;
  #state = State.FieldStart;
  #field = '';
  #fields: string[] = [];
  #error: string | undefined;
  /** The physical line being read, and the line the current record started on. */
  #line = 1;
  #recordLine = 1;
  /** Whether anything of the current record was read (an empty line is no record). */
  #started = false;
  /** The previous chunk ended in CR: an LF at the start of this one belongs to it. */
  #pendingCr = false;
  #ended = false;

  constructor(bounds: CsvBounds = {}) {
    this.#maxField = bounds.maxField ?? 10_000;
    this.#maxFields = bounds.maxFields ?? 200;
  }

  /** Parses the next chunk of text; returns the records it completed. */
  push(text: string): CsvRecord[] {
    if (this.#ended) throw new TypeError('push after end');
    const out: CsvRecord[] = [];
    const length = text.length;
    let i = 0;
    if (this.#pendingCr) {
      this.#pendingCr = false;
      if (length > 0 && text.charCodeAt(0) === 0x0a) i = 1;
    }
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      switch (this.#state) {
        case State.Quoted: {
          if (c === 0x22) {
            this.#state = State.QuoteInQuoted;
            continue;
          }
          // The run of text up to the next quote, in one piece.
          let end = text.indexOf('"', i);
          if (end === -1) end = length;
          for (let at = text.indexOf('\n', i); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) {
            this.#line++;
          }
          this.#append(text.slice(i, end));
          i = end - 1;
          continue;
        }
        case State.QuoteInQuoted:
          if (c === 0x22) {
            this.#append('"');
            this.#state = State.Quoted;
            continue;
          }
          this.#state = State.AfterQuoted;
          break;
        default:
          break;
      }
      // FieldStart, Unquoted, AfterQuoted: separators and line ends act here.
      if (c === 0x2c) {
        this.#endField();
        this.#started = true;
        continue;
      }
      if (c === 0x0d || c === 0x0a) {
        const record = this.#endRecord();
        if (record) out.push(record);
        this.#line++;
        this.#recordLine = this.#line;
        if (c === 0x0d) {
          if (i + 1 < length) {
            if (text.charCodeAt(i + 1) === 0x0a) i++;
          } else this.#pendingCr = true;
        }
        continue;
      }
      this.#started = true;
      if (this.#state === State.FieldStart) {
        if (c === 0x22) {
          this.#state = State.Quoted;
          continue;
        }
        this.#state = State.Unquoted;
      } else if (this.#state === State.AfterQuoted) {
        this.#fail('text after a closing quote');
      } else if (c === 0x22) {
        this.#fail('a quote inside an unquoted field');
      }
      // The run of ordinary characters up to the next separator, line end or quote, in one piece.
      let end = i + 1;
      while (end < length) {
        const d = text.charCodeAt(end);
        if (d === 0x2c || d === 0x0d || d === 0x0a || d === 0x22) break;
        end++;
      }
      this.#append(text.slice(i, end));
      i = end - 1;
    }
    return out;
  }

  /** Ends the input; returns the last record, if the input did not end with a line end. */
  end(): CsvRecord[] {
    if (this.#ended) return [];
    if (this.#state === State.Quoted) this.#fail('a quoted field is not closed before the end of the file');
    if (this.#state === State.QuoteInQuoted) this.#state = State.AfterQuoted;
    const record = this.#endRecord();
    this.#ended = true;
    return record ? [record] : [];
  }

  #append(part: string): void {
    if (this.#field.length + part.length > this.#maxField) {
      this.#fail(`a field is longer than ${this.#maxField} characters`);
      return;
    }
    this.#field += part;
  }

  #fail(reason: string): void {
    this.#error ??= reason;
  }

  #endField(): void {
    if (this.#fields.length >= this.#maxFields)
      this.#fail(`a record has more than ${this.#maxFields} fields`);
    else this.#fields.push(this.#field);
    this.#field = '';
    this.#state = State.FieldStart;
  }

  #endRecord(): CsvRecord | undefined {
    if (!this.#started && this.#state === State.FieldStart && this.#field === '') {
      // An empty line: no record.
      this.#error = undefined;
      return undefined;
    }
    this.#endField();
    const record: CsvRecord = {
      line: this.#recordLine,
      fields: this.#fields,
      ...(this.#error ? { error: this.#error } : {}),
    };
    this.#fields = [];
    this.#error = undefined;
    this.#started = false;
    return record;
  }
}
