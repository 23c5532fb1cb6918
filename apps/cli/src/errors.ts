/** The CLI's one error class: usage and input problems, with a closed union of codes. */
export type CliErrorCode =
  | 'USAGE'
  | 'INPUT_UNREADABLE'
  | 'INPUT_INVALID'
  | 'NOT_INITIALISED'
  | 'CONFIG_INVALID'
  // The registry CLI (issue 5): an enrolment refused because the person is enrolled already.
  | 'DUPLICATE';

export const CLI_ERROR_CODES: readonly CliErrorCode[] = [
  'USAGE',
  'INPUT_UNREADABLE',
  'INPUT_INVALID',
  'NOT_INITIALISED',
  'CONFIG_INVALID',
  // The registry CLI (issue 5).
  'DUPLICATE',
];

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
