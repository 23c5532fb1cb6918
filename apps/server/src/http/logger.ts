import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

// Belt and braces: the serializers below never copy headers or bodies into a log line, and should
// anything pass a request, a reply or an error with such fields, these paths are censored.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.body',
  'res.body',
  'body',
  'key',
  'token',
  'credential',
  'claims',
  '*.authorization',
  '*.key',
  '*.token',
  '*.credential',
  '*.claims',
];

/** A request in a log line: method, path without the query (it may carry codes), client address. */
function request(req: { method?: string; url?: string; ip?: string; id?: unknown }) {
  return { id: req.id, method: req.method, path: req.url?.split('?')[0], remoteAddress: req.ip };
}

/** An error in a log line: its class, code and message (our messages hold no secret), stack. */
function error(err: unknown) {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    code: typeof code === 'string' ? code : undefined,
    message: err.message,
    stack: err.stack,
  };
}

/**
 * The server's pino logger: JSON lines, no personal data. Logs carry routes, codes and timings;
 * never an Authorization header, an API key, a token, a claim or a body.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: request,
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: error,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Standard output written asynchronously: a busy server makes one write for many lines instead of
 * one blocking write per line (pino's default). `flushSync()` before exiting writes what is queued;
 * a process killed outright loses at most the lines of its last moments, never any data.
 */
export function asyncStdout(): DestinationStream & { flushSync(): void } {
  return pino.destination({ dest: 1, sync: false });
}
