import { ApiError } from '../../shared/errors.js';
import { NameError, validateCharacterName } from '../../shared/config/names.js';

/** Errors carry `detail`, the field the original memory service (FastAPI) answers with, as well as `error`. */
export function memoryApiError(status: number, message: string): ApiError {
  return new ApiError(status, message, undefined, { detail: message });
}

/** The character name from a route's `:name`, validated like every other character name (400 otherwise). */
export function characterParam(params: unknown): string {
  const raw = (params as { name?: unknown }).name;
  try {
    return validateCharacterName(raw, 'lanlan_name');
  } catch (err) {
    if (err instanceof NameError) throw memoryApiError(400, err.message);
    throw err;
  }
}
