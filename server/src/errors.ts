import type { ErrorCode, FieldError } from '@portico/shared';

/** An error we expect and can explain: it carries an HTTP status and a stable code for clients. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: FieldError[];
  readonly reason?: string;

  constructor(opts: { code: ErrorCode; status: number; message: string; details?: FieldError[]; reason?: string }) {
    super(opts.message);
    this.name = new.target.name;
    this.code = opts.code;
    this.status = opts.status;
    this.details = opts.details;
    this.reason = opts.reason;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue') {
    super({ code: 'UNAUTHENTICATED', status: 401, message });
  }
}

export class ForbiddenError extends AppError {
  /** `reason` names the rule that refused, e.g. `role_required` or `last_admin`. */
  constructor(message: string, reason = 'forbidden') {
    super({ code: 'FORBIDDEN', status: 403, message, reason });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super({ code: 'NOT_FOUND', status: 404, message: `${what} not found` });
  }
}

export class ValidationError extends AppError {
  constructor(details: FieldError[]) {
    const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
    super({ code: 'BAD_USER_INPUT', status: 400, message, details });
  }

  static field(field: string, code: string, message: string): ValidationError {
    return new ValidationError([{ field, code, message }]);
  }
}

/** A query parameter out of its range or form: 400 (a body that fails validation is a ValidationError, 422 in REST). */
export class QueryParameterError extends ValidationError {}

export class ConflictError extends AppError {
  constructor(message: string, field?: string) {
    super({ code: 'CONFLICT', status: 409, message, details: field ? [{ field, code: 'taken', message }] : undefined });
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super({ code: 'RATE_LIMITED', status: 429, message: `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).` });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
