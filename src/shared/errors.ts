/**
 * Errors cross every boundary (IPC, HTTP, CLI) as plain values with a code the UI can branch on and a
 * message a person can act on. Services throw StudioError; transports turn it into ErrorValue.
 */
export const errorCodes = [
  'invalid_input',
  'not_found',
  'conflict',
  'file_missing',
  'file_empty',
  'media_unreadable',
  'media_no_audio',
  'disk_full',
  /** A recording's audio waited seconds for a disk that did not keep up. */
  'disk_slow',
  'read_only',
  'permission_denied',
  'forbidden',
  'ffmpeg_missing',
  'ffmpeg_failed',
  'audio_unavailable',
  'cancelled',
  'interrupted',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** An error as it travels between processes: no prototype, no stack, nothing lost in cloning. */
export interface ErrorValue {
  code: ErrorCode;
  message: string;
  /** Extra facts for logs and for the UI, e.g. the file path or the last ffmpeg stderr lines. */
  details?: Record<string, unknown>;
}

export class StudioError extends Error {
  override readonly name = 'StudioError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toValue(): ErrorValue {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Turns anything thrown into an ErrorValue; unknown errors keep their message under 'internal'. */
export function toErrorValue(error: unknown): ErrorValue {
  if (error instanceof StudioError) return error.toValue();
  if (isErrorValue(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

export function isErrorValue(value: unknown): value is ErrorValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorValue).code === 'string' &&
    (errorCodes as readonly string[]).includes((value as ErrorValue).code) &&
    typeof (value as ErrorValue).message === 'string'
  );
}

/** What every request answers: the value, or the error as a value. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };
