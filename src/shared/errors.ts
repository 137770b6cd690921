/**
 * An error meant for an API client: HTTP status, a human sentence (the original's text where its page shows
 * it verbatim), an optional machine code, and extra fields merged into the `{success:false,...}` envelope.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { success: false, error: this.message, ...(this.code ? { code: this.code } : {}), ...this.extra };
  }
}

export const badRequest = (message: string, code?: string, extra?: Record<string, unknown>) => new ApiError(400, message, code, extra);
export const notFound = (message: string, code?: string) => new ApiError(404, message, code);
export const conflict = (message: string, code?: string) => new ApiError(409, message, code);
