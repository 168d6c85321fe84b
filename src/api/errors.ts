import { ForensicsError, type ErrorCode } from '../model/errors.js';

/**
 * An input could not be found or read (`E_INPUT_NOT_FOUND`, `E_INPUT_UNREADABLE`), e.g. a binary
 * file given to {@link parse}. `path` names the input.
 */
export class InputError extends ForensicsError {
  /** The input as given or discovered. */
  readonly path: string;
  constructor(code: 'E_INPUT_NOT_FOUND' | 'E_INPUT_UNREADABLE', path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'InputError';
    this.path = path;
  }
}

/** The caller's `AbortSignal` fired (`E_ABORTED`); `cause` is the signal's reason. */
export class AbortedError extends ForensicsError {
  constructor(message = 'aborted', options?: { cause?: unknown }) {
    super('E_ABORTED', message, options);
    this.name = 'AbortedError';
  }
}

/** A bad argument or option (`E_USAGE`): an unknown zone, format or rule parameter. */
export class UsageError extends ForensicsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_USAGE', message, options);
    this.name = 'UsageError';
  }
}

/**
 * True when `err` is a {@link ForensicsError} (of `code`, when given). Works across copies of the
 * package (it checks `name` and `code`, not only the prototype chain).
 */
export function isForensicsError(err: unknown, code?: ErrorCode): err is ForensicsError {
  if (!(err instanceof Error) || !('code' in err) || typeof err.code !== 'string' || !err.code.startsWith('E_')) return false;
  return code === undefined || err.code === code;
}

/** Throws {@link AbortedError} when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'aborted'): void {
  if (signal?.aborted) throw new AbortedError(what, { cause: signal.reason });
}
